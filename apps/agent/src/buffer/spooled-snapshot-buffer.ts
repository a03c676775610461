import type { Snapshot } from '@hostwatch/protocol';
import { SnapshotSpool, type SnapshotSpoolOptions } from '../spool/snapshot-spool';
import { SnapshotBuffer } from './snapshot-buffer';
import type { SnapshotQueue } from './snapshot-queue';

export interface SpooledBufferOptions extends Omit<SnapshotSpoolOptions, 'segmentSize'> {
  capacity: number;
  segmentSize?: number;
}

export interface OpenedSpooledBuffer {
  buffer: SpooledSnapshotBuffer;
  /** The lowest seq a new sample may take: above every seq an earlier run used. */
  seqFloor: number;
}

/** Segments of a tenth of the buffer keep the spool within 110 % of it, in a handful of files. */
const SEGMENTS_PER_BUFFER = 10;
const MAX_SEGMENT_SIZE = 100;

/**
 * The memory buffer, mirrored on disk: every snapshot pushed is appended to
 * the spool, and whatever leaves the buffer (acknowledged, rejected, or
 * dropped when full) moves the spool's "done below" marker. The buffer stays
 * the one source of truth while the agent runs; the spool only matters at
 * the next start.
 */
export class SpooledSnapshotBuffer implements SnapshotQueue<Snapshot> {
  private lastSeq: number;

  constructor(
    private readonly memory: SnapshotBuffer<Snapshot>,
    private readonly spool: SnapshotSpool,
    seqFloor: number,
  ) {
    this.lastSeq = seqFloor - 1;
  }

  /** Opens the spool and loads what an earlier run left unacknowledged, to be sent before any new sample. */
  static async open(options: SpooledBufferOptions): Promise<OpenedSpooledBuffer> {
    const { capacity, dir, logger } = options;
    const memory = new SnapshotBuffer<Snapshot>(capacity);
    const segmentSize = options.segmentSize ?? Math.min(MAX_SEGMENT_SIZE, Math.ceil(capacity / SEGMENTS_PER_BUFFER));
    const { spool, pending, seqFloor } = await SnapshotSpool.open({ ...options, segmentSize });
    const buffer = new SpooledSnapshotBuffer(memory, spool, seqFloor);
    const dropped = buffer.restore(pending);
    if (dropped > 0) {
      logger.warn(`spool ${dir}: held ${pending.length} unacknowledged snapshots, more than the buffer's ${capacity}; dropped the oldest ${dropped}`);
    }
    const kept = memory.toArray();
    if (kept.length > 0) {
      logger.info(`spool ${dir}: ${kept.length} unacknowledged snapshots from an earlier run (seq ${kept[0].seq} to ${kept[kept.length - 1].seq}) go first`);
    }
    return { buffer, seqFloor };
  }

  get capacity(): number {
    return this.memory.capacity;
  }

  get size(): number {
    return this.memory.size;
  }

  push(snapshot: Snapshot): number {
    this.spool.append(snapshot);
    this.lastSeq = Math.max(this.lastSeq, snapshot.seq);
    const dropped = this.memory.push(snapshot);
    if (dropped > 0) this.recordDone();
    return dropped;
  }

  peek(): Snapshot | undefined {
    return this.memory.peek();
  }

  find(predicate: (snapshot: Snapshot) => boolean): Snapshot | undefined {
    return this.memory.find(predicate);
  }

  remove(snapshot: Snapshot): boolean {
    const removed = this.memory.remove(snapshot);
    if (removed) this.recordDone();
    return removed;
  }

  toArray(): Snapshot[] {
    return this.memory.toArray();
  }

  /** Resolves once everything pushed or removed so far is on disk. */
  flush(): Promise<void> {
    return this.spool.flush();
  }

  close(): Promise<void> {
    return this.spool.close();
  }

  /** Takes in snapshots already on disk, oldest first, without writing them again; returns how many did not fit. */
  private restore(snapshots: readonly Snapshot[]): number {
    let dropped = 0;
    for (const snapshot of snapshots) {
      dropped += this.memory.push(snapshot);
      this.lastSeq = Math.max(this.lastSeq, snapshot.seq);
    }
    this.recordDone();
    return dropped;
  }

  private recordDone(): void {
    this.spool.markPendingFrom(this.memory.peek()?.seq ?? this.lastSeq + 1);
  }
}
