import * as fs from 'node:fs';

/** What a filesystem's size needs from statfs(2); block counts are in units of `bsize`. */
export interface FsBlocks {
  /** The filesystem's magic number (0xEF53 for ext4); a change under one mount point means another filesystem is there now. */
  type?: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  /**
   * st_dev of the path (stat(2)), where read: the device of the filesystem that
   * holds it, which no write changes, unlike the sizes (ZFS datasets, btrfs and
   * NFS with quotas grow and shrink as data is written).
   */
  dev?: number;
}

export type StatfsFn = (path: string) => Promise<FsBlocks>;

/** Node's asynchronous statfs(2), through libuv's thread pool. */
export function nodeStatfs(path: string): Promise<FsBlocks> {
  return new Promise((resolve, reject) => {
    fs.statfs(path, (error, stats) => (error === null ? resolve(stats) : reject(error)));
  });
}

/**
 * statfs(2) and then stat(2) of a path, so that a mount point's device shows
 * which filesystem answered. One after the other: a dead network mount holds
 * one of libuv's few pool threads, not two.
 */
export async function nodeStatfsWithDevice(path: string): Promise<FsBlocks> {
  const blocks = await nodeStatfs(path);
  const dev = await new Promise<number>((resolve, reject) => {
    fs.stat(path, (error, stats) => (error === null ? resolve(stats.dev) : reject(error)));
  });
  return { type: blocks.type, bsize: blocks.bsize, blocks: blocks.blocks, bfree: blocks.bfree, bavail: blocks.bavail, dev };
}

/** A statfs reading of one mount: its blocks, `stuck` while an earlier call has not answered, `failed` when it refused. */
export type StatfsReading = FsBlocks | 'stuck' | 'failed';

/**
 * statfs(2) calls that never wait long and never pile up. A statfs on a network
 * mount whose server is gone can hang for minutes; a call that takes longer
 * than `timeoutMs` is given up on, and no second call is sent to that mount
 * while the first is still stuck, so the stuck calls cannot fill libuv's thread
 * pool and stall the collector's other reads.
 */
export class StatfsGuard {
  private readonly stuck = new Set<string>();

  constructor(
    private readonly statfs: StatfsFn,
    private readonly timeoutMs = 2_000,
  ) {}

  read(mount: string): Promise<StatfsReading> {
    if (this.stuck.has(mount)) return Promise.resolve('stuck');
    this.stuck.add(mount);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('stuck'), this.timeoutMs);
      timer.unref();
      this.statfs(mount).then(
        (blocks) => {
          clearTimeout(timer);
          this.stuck.delete(mount);
          resolve(blocks);
        },
        () => {
          clearTimeout(timer);
          this.stuck.delete(mount);
          resolve('failed');
        },
      );
    });
  }
}

/** Size, used and available bytes as df computes them from statfs(2). */
export function sizesOf(blocks: FsBlocks): { size: number; used: number; available: number; use: number } {
  const size = blocks.blocks * blocks.bsize;
  const used = (blocks.blocks - blocks.bfree) * blocks.bsize;
  const available = blocks.bavail * blocks.bsize;
  // As df computes it: blocks reserved for root count neither as used nor as available.
  return { size, used, available, use: used + available > 0 ? (used / (used + available)) * 100 : Number.NaN };
}
