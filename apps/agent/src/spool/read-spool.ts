import { join } from 'node:path';
import { parseWith, snapshotSchema, type Snapshot } from '@hostwatch/protocol';
import type { Logger } from '../log/logger';
import { MARKER_FILE, markerSchema, segmentFirstSeq } from './spool-files';
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
 * outside like any other: every line is parsed with the protocol schema, and
 * an unreadable line (a torn last line after a crash, a damaged disk) is
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
    const lines = await readSegmentLines(path, fs, logger);
    for (const snapshot of lines) {
      segment.lastSeq = Math.max(segment.lastSeq, snapshot.seq);
      seqFloor = Math.max(seqFloor, snapshot.seq + 1);
      if (snapshot.seq < pendingFrom) continue;
      if (snapshot.hostId !== hostId) {
        otherHosts.add(snapshot.hostId);
        otherHostCount += 1;
        continue;
      }
      if (!found.has(snapshot.seq)) found.set(snapshot.seq, snapshot);
    }
  }

  if (otherHostCount > 0) {
    logger.warn(
      `spool ${dir}: skipped ${otherHostCount} snapshots of host ${[...otherHosts].slice(0, 3).join(', ')}; this agent is host ${hostId}`,
    );
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
    const parsed = parseWith(markerSchema, JSON.parse(text));
    if (parsed.ok) return parsed.data.pendingFrom;
    reason = parsed.message;
  } catch (error) {
    reason = messageOf(error);
  }
  // Sending acknowledged snapshots again is harmless: the hub drops duplicates.
  logger.warn(`spool ${path}: unreadable (${clip(reason)}); sending every snapshot in the spool`);
  return 0;
}

async function readSegmentLines(path: string, fs: SpoolFs, logger: Logger): Promise<Snapshot[]> {
  const { size } = await fs.stat(path);
  if (size > MAX_SEGMENT_BYTES) {
    logger.warn(`spool ${path}: ${size} bytes, far more than a segment holds; skipped it`);
    return [];
  }
  const text = await fs.readFile(path, 'utf8');
  const snapshots: Snapshot[] = [];
  let skipped = 0;
  let firstProblem = '';
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const problem = parseLine(line, snapshots);
    if (problem === null) return;
    skipped += 1;
    if (skipped === 1) firstProblem = `line ${index + 1}: ${clip(problem)}`;
  });
  if (skipped > 0) {
    logger.warn(`spool ${path}: skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} (${firstProblem})`);
  }
  return snapshots;
}

/** Adds the line's snapshot to the list, or returns what is wrong with it. */
function parseLine(line: string, into: Snapshot[]): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return messageOf(error);
  }
  const parsed = parseWith(snapshotSchema, raw);
  if (!parsed.ok) return parsed.message;
  into.push(parsed.data);
  return null;
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
