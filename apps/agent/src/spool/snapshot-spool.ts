import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '@hostwatch/protocol';
import type { Logger } from '../log/logger';
import type { Clock } from '../time/timers';
import { readSpool, type SpoolSegment } from './read-spool';
import { MARKER_FILE, MARKER_TEMP_FILE, segmentFileName } from './spool-files';
import type { SpoolFs } from './spool-fs';

export interface SnapshotSpoolOptions {
  dir: string;
  /** Snapshots of another host id found in the spool are not sent. */
  hostId: string;
  fs: SpoolFs;
  clock: Clock;
  logger: Logger;
  /** Lines per segment file; a segment goes once every line in it is done. */
  segmentSize: number;
  /** How long an appended line may wait for fsync at most, while samples keep coming. */
  syncIntervalMs?: number;
}

export interface OpenedSpool {
  spool: SnapshotSpool;
  /** What an earlier run left unacknowledged, oldest first. */
  pending: Snapshot[];
  /** The lowest seq a new sample may take. */
  seqFloor: number;
}

interface OpenSegment {
  segment: SpoolSegment;
  handle: FileHandle;
  lines: number;
}

const DEFAULT_SYNC_INTERVAL_MS = 10_000;
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Unacknowledged snapshots on disk, so that a restart or a crash loses none.
 * Each sample costs one appended line; the only other writes are a small
 * marker ("everything below seq N is done"), rewritten at most once per batch
 * of acks, and the deletion of segment files that are done. Writes run one
 * after another in the background; a failure is logged and the agent goes on
 * with its memory buffer.
 *
 * A process crash, SIGKILL included, loses nothing that was appended: the
 * kernel holds the data. Segments are fsync'd when full, on close, and at
 * least every syncIntervalMs, which bounds what a power cut can take. The
 * marker is not fsync'd: losing it only sends acknowledged snapshots again,
 * and the hub drops duplicates.
 */
export class SnapshotSpool {
  private current: OpenSegment | null = null;
  private queue: Promise<void> = Promise.resolve();
  private pendingFrom: number;
  private writtenPendingFrom: number;
  private markerQueued = false;
  private failing = false;
  private lastSyncAt: number;
  private closed = false;
  private readonly syncIntervalMs: number;

  private constructor(
    private readonly options: SnapshotSpoolOptions,
    private readonly segments: SpoolSegment[],
    pendingFrom: number,
  ) {
    this.pendingFrom = pendingFrom;
    this.writtenPendingFrom = pendingFrom;
    this.syncIntervalMs = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.lastSyncAt = options.clock.now();
  }

  /** Creates the directory if needed (private to this user) and reads what an earlier run left there. */
  static async open(options: SnapshotSpoolOptions): Promise<OpenedSpool> {
    const { dir, fs, logger, hostId } = options;
    if (!Number.isInteger(options.segmentSize) || options.segmentSize < 1) {
      throw new RangeError(`segmentSize must be a whole number >= 1, got ${options.segmentSize}`);
    }
    try {
      await prepareDirectory(dir, fs, logger);
      const contents = await readSpool(dir, hostId, fs, logger);
      const spool = new SnapshotSpool(options, contents.segments, contents.pendingFrom);
      spool.enqueue('cannot delete segments that are done', () => spool.deleteDoneSegments());
      return { spool, pending: contents.pending, seqFloor: contents.seqFloor };
    } catch (error) {
      throw new Error(`cannot use the spool directory ${dir}: ${messageOf(error)}`);
    }
  }

  /** Queues the snapshot for the current segment; a new segment starts when it is full. */
  append(snapshot: Snapshot): void {
    if (this.closed) return;
    this.enqueue(`cannot write snapshot ${snapshot.seq}`, async () => {
      try {
        const open = this.current !== null && this.current.lines < this.options.segmentSize ? this.current : await this.rotate(snapshot.seq);
        await open.handle.appendFile(`${JSON.stringify(snapshot)}\n`, 'utf8');
        open.lines += 1;
        open.segment.lastSeq = Math.max(open.segment.lastSeq, snapshot.seq);
        await this.syncIfDue(open);
      } catch (error) {
        // A half-written line must not be followed by the next one in the same file.
        await this.abandonCurrent();
        throw error;
      }
    });
  }

  /** Records that every snapshot below this seq is done (acknowledged, rejected or dropped). */
  markPendingFrom(seq: number): void {
    if (this.closed || seq <= this.pendingFrom) return;
    this.pendingFrom = seq;
    // Acks come faster than files are written during a replay: one write covers all that came meanwhile.
    if (this.markerQueued) return;
    this.markerQueued = true;
    this.enqueue('cannot record the acknowledged snapshots', async () => {
      this.markerQueued = false;
      await this.writeMarker();
      await this.deleteDoneSegments();
    });
  }

  /** Resolves once every write asked for so far has run. */
  flush(): Promise<void> {
    return this.queue;
  }

  /** Writes what is queued, fsyncs and closes the current segment. */
  async close(): Promise<void> {
    if (this.closed) return this.queue;
    this.closed = true;
    this.enqueue('cannot close the spool', async () => {
      await this.writeMarker();
      await this.deleteDoneSegments();
      const open = this.current;
      this.current = null;
      if (open) {
        await open.handle.sync();
        await open.handle.close();
      }
    });
    return this.queue;
  }

  private async rotate(firstSeq: number): Promise<OpenSegment> {
    const previous = this.current;
    this.current = null;
    if (previous) {
      await previous.handle.sync();
      await previous.handle.close();
    }
    const path = join(this.options.dir, segmentFileName(firstSeq));
    const handle = await this.options.fs.open(path, 'a', PRIVATE_FILE_MODE);
    const segment: SpoolSegment = { path, firstSeq, lastSeq: firstSeq };
    this.segments.push(segment);
    this.current = { segment, handle, lines: 0 };
    this.lastSyncAt = this.options.clock.now();
    await this.deleteDoneSegments();
    return this.current;
  }

  private async syncIfDue(open: OpenSegment): Promise<void> {
    const now = this.options.clock.now();
    if (now - this.lastSyncAt < this.syncIntervalMs) return;
    this.lastSyncAt = now;
    await open.handle.sync();
  }

  private async abandonCurrent(): Promise<void> {
    const open = this.current;
    this.current = null;
    await open?.handle.close().catch(() => undefined);
  }

  private async writeMarker(): Promise<void> {
    const value = this.pendingFrom;
    if (value === this.writtenPendingFrom) return;
    const { dir, fs } = this.options;
    const temp = join(dir, MARKER_TEMP_FILE);
    await fs.writeFile(temp, JSON.stringify({ pendingFrom: value }), { mode: PRIVATE_FILE_MODE });
    await fs.rename(temp, join(dir, MARKER_FILE));
    this.writtenPendingFrom = value;
  }

  /** Deletes closed segments that hold nothing at or above the recorded marker. */
  private async deleteDoneSegments(): Promise<void> {
    const done = this.segments.filter((segment) => segment !== this.current?.segment && segment.lastSeq < this.writtenPendingFrom);
    for (const segment of done) {
      try {
        await this.options.fs.unlink(segment.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.segments.splice(this.segments.indexOf(segment), 1);
    }
  }

  private enqueue(what: string, operation: () => Promise<void>): void {
    const { logger, dir } = this.options;
    this.queue = this.queue.then(operation).then(
      () => {
        if (!this.failing) return;
        this.failing = false;
        logger.info(`spool ${dir}: writing again`);
      },
      (error: unknown) => {
        // One line per outage, not one per sample.
        if (this.failing) return;
        this.failing = true;
        logger.error(`spool ${dir}: ${what} (${messageOf(error)}); unacknowledged snapshots are kept in memory only until it works again`);
      },
    );
  }
}

async function prepareDirectory(dir: string, fs: SpoolFs, logger: Logger): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stats = await fs.stat(dir);
  if (!stats.isDirectory()) throw new Error('not a directory');
  // An existing directory keeps its mode: it may be shared on purpose, but the user should know.
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    logger.warn(`spool ${dir}: other users may read it (mode ${(stats.mode & 0o777).toString(8)}); chmod 700 keeps this machine's data private`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
