import * as fs from 'node:fs';
import { join } from 'node:path';
import type { Filesystem } from '@hostwatch/protocol';
import type { Systeminformation } from 'systeminformation';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { mapBounded, readTextFile } from '../../linux/proc-files.util';
import { RefreshingValue } from '../../util/refreshing-value.util';
import { FILESYSTEMS_MAX_AGE_MS, toFilesystems } from '../filesystems.probe';
import type { Probe } from '../probe.types';

/** What a filesystem's size needs from statfs(2); block counts are in units of `bsize`. */
export interface FsBlocks {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

export type StatfsFn = (path: string) => Promise<FsBlocks>;

export interface LinuxFilesystemsOptions {
  /** How old the list and sizes may get before they are read again. Default one minute. */
  maxAgeMs?: number;
  /** statfs(2), replaced in tests by one that never answers. */
  statfs?: StatfsFn;
  /** How long one mount's statfs may take before the mount is reported from its last reading, or left out. */
  statfsTimeoutMs?: number;
}

/**
 * Filesystems that hold no data of their own (kernel views, memory, control
 * groups), read-only images that are always full (squashfs: snaps, live
 * media), and FUSE views of other data. `df -x` lists much the same.
 */
const PSEUDO_TYPES: ReadonlySet<string> = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs',
  'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'fusectl', 'hugetlbfs', 'mqueue', 'nsfs', 'proc', 'pstore',
  'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs',
]);

interface MountEntry {
  device: string;
  mount: string;
  type: string;
  readOnly: boolean;
}

/**
 * Real filesystems from the mount table (/proc/self/mounts) with their sizes
 * from statfs(2), both at most once per `maxAgeMs`: `df` would be a process per
 * read. A statfs on a network mount whose server is gone can hang for minutes;
 * such a mount is reported from its last reading, and no second statfs is sent
 * to it while the first is still stuck, so the stuck calls cannot fill libuv's
 * thread pool and stall the collector's other reads.
 */
export class LinuxFilesystemsProbe implements Probe<Filesystem[]> {
  private readonly list: RefreshingValue<Filesystem[]>;
  private readonly statfs: StatfsFn;
  private readonly timeoutMs: number;
  private readonly stuck = new Set<string>();
  private lastKnown = new Map<string, Systeminformation.FsSizeData>();

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc'>,
    now: () => number,
    options: LinuxFilesystemsOptions = {},
  ) {
    this.statfs = options.statfs ?? defaultStatfs;
    this.timeoutMs = options.statfsTimeoutMs ?? 2_000;
    this.list = new RefreshingValue(() => this.read(), options.maxAgeMs ?? FILESYSTEMS_MAX_AGE_MS, now);
  }

  async sample(): Promise<Filesystem[]> {
    // Each call gets its own copy so that a caller cannot change the cached list.
    const list = await this.list.get().catch((): Filesystem[] => []);
    return list.map((f) => ({ ...f }));
  }

  private async read(): Promise<Filesystem[]> {
    const table = await readTextFile(join(this.roots.proc, 'self', 'mounts'));
    if (table === null) throw new Error('the mount table cannot be read');
    const mounts = realFilesystems(parseMounts(table));
    const sized = await mapBounded(mounts, 4, (m) => this.sizeOf(m));
    const reported = sized.filter((f): f is Systeminformation.FsSizeData => f !== null);
    this.lastKnown = new Map(reported.map((f) => [f.mount, f]));
    return toFilesystems(reported);
  }

  private async sizeOf(entry: MountEntry): Promise<Systeminformation.FsSizeData | null> {
    const blocks = await this.statfsWithin(entry.mount);
    if (blocks === null) return this.lastKnown.get(entry.mount) ?? null;
    const size = blocks.blocks * blocks.bsize;
    const used = (blocks.blocks - blocks.bfree) * blocks.bsize;
    const available = blocks.bavail * blocks.bsize;
    return {
      fs: entry.device,
      type: entry.type,
      size,
      used,
      available,
      // As df computes it: blocks reserved for root count neither as used nor as available.
      use: used + available > 0 ? (used / (used + available)) * 100 : Number.NaN,
      mount: entry.mount,
      rw: !entry.readOnly,
    };
  }

  private statfsWithin(mount: string): Promise<FsBlocks | null> {
    if (this.stuck.has(mount)) return Promise.resolve(null);
    this.stuck.add(mount);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), this.timeoutMs);
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
          resolve(null);
        },
      );
    });
  }
}

function defaultStatfs(path: string): Promise<FsBlocks> {
  return new Promise((resolve, reject) => {
    fs.statfs(path, (error, stats) => (error === null ? resolve(stats) : reject(error)));
  });
}

/**
 * The data-holding filesystems of a mount table: no pseudo types; overlay only
 * as a container's root, where it is the container's own disk; of one mount
 * point mounted over, the later mount, which hides the earlier; of one block
 * device mounted at several places (bind mounts, btrfs subvolumes), the
 * shortest mount point, as df shows it.
 */
export function realFilesystems(entries: readonly MountEntry[]): MountEntry[] {
  const byMount = new Map<string, MountEntry>();
  for (const entry of entries) {
    if (PSEUDO_TYPES.has(entry.type) || (entry.type === 'overlay' && entry.mount !== '/')) continue;
    byMount.delete(entry.mount);
    byMount.set(entry.mount, entry);
  }
  const byDevice = new Map<string, MountEntry>();
  const result: MountEntry[] = [];
  for (const entry of byMount.values()) {
    if (!entry.device.startsWith('/')) {
      result.push(entry);
      continue;
    }
    const seen = byDevice.get(entry.device);
    if (seen === undefined) {
      byDevice.set(entry.device, entry);
      result.push(entry);
    } else if (entry.mount.length < seen.mount.length) {
      byDevice.set(entry.device, entry);
      result[result.indexOf(seen)] = entry;
    }
  }
  return result;
}

/** `device mount type options dump pass` per line; spaces, tabs, newlines and backslashes in paths come as octal escapes. */
export function parseMounts(text: string): MountEntry[] {
  const result: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, type, options] = line.split(' ');
    if (device === undefined || mount === undefined || type === undefined || !mount.startsWith('/')) continue;
    result.push({ device: unescape(device), mount: unescape(mount), type, readOnly: (options ?? '').split(',').includes('ro') });
  }
  return result;
}

function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
