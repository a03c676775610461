import type { Snapshot } from '@hostwatch/protocol';
import type { Logger } from '../log/logger';
import type { SpoolFs } from '../spool/spool-fs';
import type { Clock } from '../time/timers';
import { SnapshotBuffer } from './snapshot-buffer';
import type { SnapshotQueue } from './snapshot-queue';
import { SpooledSnapshotBuffer } from './spooled-snapshot-buffer';

export interface SnapshotQueueOptions {
  capacity: number;
  /** null: memory only. */
  spoolDir: string | null;
  hostId: string;
  fs: SpoolFs;
  clock: Clock;
  logger: Logger;
}

export interface OpenedSnapshotQueue {
  queue: SnapshotQueue<Snapshot>;
  /** The lowest seq the agent may give a new sample. */
  firstSeq: number;
  /** Puts what is pending on disk for the next run; nothing to do without a spool. */
  close(): Promise<void>;
}

/** The agent's buffer of unacknowledged snapshots: in memory, and on disk too when a spool directory is set. */
export async function openSnapshotQueue(options: SnapshotQueueOptions): Promise<OpenedSnapshotQueue> {
  const { capacity, spoolDir } = options;
  if (spoolDir === null) return { queue: new SnapshotBuffer<Snapshot>(capacity), firstSeq: 0, close: async () => undefined };
  const { buffer, seqFloor } = await SpooledSnapshotBuffer.open({ ...options, dir: spoolDir });
  return { queue: buffer, firstSeq: seqFloor, close: () => buffer.close() };
}
