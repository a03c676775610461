import { join } from 'node:path';
import type { Filesystem } from '@hostwatch/protocol';
import type { Systeminformation } from 'systeminformation';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { mapBounded, readTextFile } from '../../linux/proc-files.util';
import { RefreshingValue } from '../../util/refreshing-value.util';
import { nodeStatfsWithDevice, sizesOf, StatfsGuard, type StatfsFn } from '../../util/statfs-guard.util';
import { toFilesystems } from '../filesystems.probe';
import type { Probe } from '../probe.types';

export type { FsBlocks } from '../../util/statfs-guard.util';

/** How often the mount table is read again even when no statfs showed a change; mounts come and go rarely. */
export const MOUNTS_MAX_AGE_MS = 60_000;

export interface LinuxFilesystemsOptions {
  /** How old the mount list may get before it is read again. Default one minute. */
  maxAgeMs?: number;
  /** statfs(2) and stat(2) of a mount point, replaced in tests by fakes (one that never answers, one whose sizes move). */
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
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fuse.gvfsd-fuse',
  'fuse.lxcfs',
  'fuse.portal',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nsfs',
  'proc',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);

interface MountEntry {
  device: string;
  mount: string;
  type: string;
  readOnly: boolean;
}

/**
 * Real filesystems from the mount table (/proc/self/mounts), read at most once
 * per `maxAgeMs`, with their sizes from statfs(2) every sample, as `df` shows
 * them but without a process per read: a file written or deleted shows in the
 * next sample. The list is read again at once when a mount point shows another
 * filesystem (its statfs type or its stat device changed; sizes move with
 * writes on ZFS, btrfs and NFS, so they tell nothing) or its statfs fails. A
 * mount whose statfs hangs (see StatfsGuard) is reported from its last reading.
 */
export class LinuxFilesystemsProbe implements Probe<Filesystem[]> {
  private readonly mounts: RefreshingValue<MountEntry[]>;
  private readonly statfs: StatfsGuard;
  private lastKnown = new Map<string, Systeminformation.FsSizeData>();
  /** Which filesystem each mount of the current list first showed: statfs type and stat device. */
  private identities = new Map<string, string>();
  private identitiesOf: readonly MountEntry[] | null = null;

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc'>,
    now: () => number,
    options: LinuxFilesystemsOptions = {},
  ) {
    this.statfs = new StatfsGuard(options.statfs ?? nodeStatfsWithDevice, options.statfsTimeoutMs);
    this.mounts = new RefreshingValue(() => this.readMounts(), options.maxAgeMs ?? MOUNTS_MAX_AGE_MS, now);
  }

  async sample(): Promise<Filesystem[]> {
    const sized = await this.sizeAll();
    if (sized === 'changed') {
      // A mount came or went since the list was read: read it again rather than report another filesystem's figures.
      this.mounts.invalidate();
      const again = await this.sizeAll();
      // Each mount of a fresh list is measured once, so it cannot have changed since.
      return again === 'changed' ? [] : again;
    }
    return sized;
  }

  private async sizeAll(): Promise<Filesystem[] | 'changed'> {
    const mounts = await this.mounts.get().catch((): MountEntry[] => []);
    if (mounts !== this.identitiesOf) {
      this.identities = new Map();
      this.identitiesOf = mounts;
    }
    let changed = false;
    const sized = await mapBounded(mounts, 4, async (m) => {
      const reading = await this.sizeOf(m);
      if (reading === 'changed') changed = true;
      return reading === 'changed' ? null : reading;
    });
    if (changed) return 'changed';
    const reported = sized.filter((f): f is Systeminformation.FsSizeData => f !== null);
    this.lastKnown = new Map(reported.map((f) => [f.mount, f]));
    return toFilesystems(reported);
  }

  private async readMounts(): Promise<MountEntry[]> {
    const table = await readTextFile(join(this.roots.proc, 'self', 'mounts'));
    if (table === null) throw new Error('the mount table cannot be read');
    return realFilesystems(parseMounts(table));
  }

  private async sizeOf(entry: MountEntry): Promise<Systeminformation.FsSizeData | null | 'changed'> {
    const blocks = await this.statfs.read(entry.mount);
    const first = this.identities.get(entry.mount);
    // A mount that answered before and now refuses is gone; one that never answered (no permission) is left out.
    if (blocks === 'failed') return first === undefined ? null : 'changed';
    if (blocks === 'stuck') return this.lastKnown.get(entry.mount) ?? null;
    const identity = `${blocks.type ?? ''}:${blocks.dev ?? ''}`;
    if (first === undefined) this.identities.set(entry.mount, identity);
    else if (first !== identity) return 'changed';
    return { fs: entry.device, type: entry.type, ...sizesOf(blocks), mount: entry.mount, rw: !entry.readOnly };
  }
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
