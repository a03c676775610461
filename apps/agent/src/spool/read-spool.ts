import { join } from 'node:path';
import type { Snapshot } from '@hostwatch/protocol';
import type { ParseResult } from '@hostwatch/protocol/light';
import type { Logger } from '../log/logger';
import { MARKER_FILE, readMarkerValue, segmentFirstSeq } from './spool-files';
import type { SpoolFs } from './spool-fs';

/** A segment file, with the range of seqs its readable lines hold. */
export interface SpoolSegment {
  path: string;
  firstSeq: number;
  lastSeq: number;
}

export interface SpoolContents {
  /** This host's snapshots still waiting for an ack, in seq order, each seq once. */
  pending: Snapshot[];
  /** Segment files, oldest first. */
  segments: SpoolSegment[];
  /** Every seq below it is done, as the last run recorded it. */
  pendingFrom: number;
  /** Above every seq an earlier run used, so that the hub never takes a new sample for a duplicate. */
  seqFloor: number;
}

/** A full segment is a few MB; anything far larger was not written by the agent and is not read into memory. */
const MAX_SEGMENT_BYTES = 128 * 1024 * 1024;
const MAX_REASON_LENGTH = 200;

/**
 * Reads what an earlier run left in the spool directory. Files are data from
 * outside like any other: every line still to be sent is parsed with the
 * protocol schema (of an acknowledged one, only the seq is read), and an
 * unreadable line (a torn last line after a crash, a damaged disk) is
 * skipped with a warning rather than stopping the agent.
 */
export async function readSpool(dir: string, hostId: string, fs: SpoolFs, logger: Logger): Promise<SpoolContents> {
  const pendingFrom = await readMarker(dir, fs, logger);
  const names = await fs.readdir(dir);
  const segments: SpoolSegment[] = [];
  const found = new Map<number, Snapshot>();
  const otherHosts = new Set<string>();
  let otherHostCount = 0;
  let seqFloor = pendingFrom;

  const files = names
    .map((name) => ({ name, firstSeq: segmentFirstSeq(name) }))
    .filter((file): file is { name: string; firstSeq: number } => file.firstSeq !== null)
    .sort((a, b) => a.firstSeq - b.firstSeq);

  for (const { name, firstSeq } of files) {
    const path = join(dir, name);
    seqFloor = Math.max(seqFloor, firstSeq + 1);
    const segment: SpoolSegment = { path, firstSeq, lastSeq: firstSeq };
    segments.push(segment);
    const { seqs, snapshots } = await readSegmentLines(path, pendingFrom, fs, logger);
    for (const seq of seqs) {
      segment.lastSeq = Math.max(segment.lastSeq, seq);
      seqFloor = Math.max(seqFloor, seq + 1);
    }
    for (const snapshot of snapshots) {
      if (snapshot.hostId !== hostId) {
        otherHosts.add(snapshot.hostId);
        otherHostCount += 1;
        continue;
      }
      if (!found.has(snapshot.seq)) found.set(snapshot.seq, snapshot);
    }
  }

  if (otherHostCount > 0) {
    logger.warn(`spool ${dir}: skipped ${otherHostCount} snapshots of host ${[...otherHosts].slice(0, 3).join(', ')}; this agent is host ${hostId}`);
  }
  const pending = [...found.values()].sort((a, b) => a.seq - b.seq);
  return { pending, segments, pendingFrom, seqFloor };
}

async function readMarker(dir: string, fs: SpoolFs, logger: Logger): Promise<number> {
  const path = join(dir, MARKER_FILE);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let reason: string;
  try {
    const parsed = readMarkerValue(JSON.parse(text));
    if (parsed.ok) return parsed.pendingFrom;
    reason = parsed.message;
  } catch (error) {
    reason = messageOf(error);
  }
  // Sending acknowledged snapshots again is harmless: the hub drops duplicates.
  logger.warn(`spool ${path}: unreadable (${clip(reason)}); sending every snapshot in the spool`);
  return 0;
}

interface SegmentLines {
  /** The seq of every readable line, acknowledged ones included. */
  seqs: number[];
  /** The lines still waiting for an ack, each checked with the protocol schema. */
  snapshots: Snapshot[];
}

async function readSegmentLines(path: string, pendingFrom: number, fs: SpoolFs, logger: Logger): Promise<SegmentLines> {
  const found: SegmentLines = { seqs: [], snapshots: [] };
  const { size } = await fs.stat(path);
  if (size > MAX_SEGMENT_BYTES) {
    logger.warn(`spool ${path}: ${size} bytes, far more than a segment holds; skipped it`);
    return found;
  }
  const text = await fs.readFile(path, 'utf8');
  let parseSnapshot: ((raw: unknown) => ParseResult<Snapshot>) | null = null;
  let skipped = 0;
  let firstProblem = '';
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let problem: string | null;
    try {
      const raw: unknown = JSON.parse(line);
      const seq = acknowledgedSeq(raw, pendingFrom);
      if (seq !== null) {
        // Acknowledged already: only its seq matters, so that no seq is used twice.
        found.seqs.push(seq);
        continue;
      }
      if (parseSnapshot === null) {
        // Loaded only when a spool holds unacknowledged snapshots, after a restart:
        // the schema library costs a running agent several MiB it otherwise does without.
        const { parseWith, snapshotSchema } = await import('@hostwatch/protocol');
        parseSnapshot = (input) => parseWith(snapshotSchema, input);
      }
      const parsed = parseSnapshot(raw);
      problem = parsed.ok ? null : parsed.message;
      if (parsed.ok) {
        found.seqs.push(parsed.data.seq);
        if (parsed.data.seq >= pendingFrom) found.snapshots.push(parsed.data);
      }
    } catch (error) {
      problem = messageOf(error);
    }
    if (problem === null) continue;
    skipped += 1;
    if (skipped === 1) firstProblem = `line ${index + 1}: ${clip(problem)}`;
  }
  if (skipped > 0) {
    logger.warn(`spool ${path}: skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} (${firstProblem})`);
  }
  return found;
}

/** The seq of a line below pendingFrom, which is never sent again; null for any other line. */
function acknowledgedSeq(raw: unknown, pendingFrom: number): number | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const seq: unknown = (raw as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 && seq < pendingFrom ? seq : null;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function clip(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 3)}...` : text;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
