import type { Filesystem } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { Systeminformation } from 'systeminformation';
import { mapBounded } from '../linux/proc-files.util';
import type { SystemSource } from '../source/system.source';
import { RefreshingValue } from '../util/refreshing-value.util';
import { capText, clamp, percentOrNull, wholeOrZero } from '../util/sanitize.util';
import { sizesOf, StatfsGuard } from '../util/statfs-guard.util';

export type FilesystemsSource = Pick<SystemSource, 'fsSize' | 'statfs' | 'platform'>;

/** Listing filesystems runs `df` (or a WMI query), so the list is read at most once a minute. */
export const FILESYSTEMS_MAX_AGE_MS = 60_000;

/**
 * Filesystems as systeminformation lists them, at most once per `maxAgeMs`,
 * with their sizes from statfs every sample so that a file written or deleted
 * shows in the next one. Where a mount's statfs fails or hangs, the listing's
 * own figures stand.
 */
export class FilesystemsProbe {
  private readonly list: RefreshingValue<Systeminformation.FsSizeData[]>;
  private readonly statfs: StatfsGuard;

  constructor(
    private readonly source: FilesystemsSource,
    now: () => number,
    maxAgeMs = FILESYSTEMS_MAX_AGE_MS,
    statfsTimeoutMs?: number,
  ) {
    this.list = new RefreshingValue(async () => source.fsSize(), maxAgeMs, now);
    this.statfs = new StatfsGuard(source.statfs, statfsTimeoutMs);
  }

  async sample(): Promise<Filesystem[]> {
    const listed = await this.list.get().catch((): Systeminformation.FsSizeData[] => []);
    const sized = await mapBounded(Array.isArray(listed) ? listed : [], 4, async (entry) => {
      const blocks = typeof entry.mount === 'string' && entry.mount !== '' ? await this.statfs.read(this.statfsPath(entry.mount)) : 'failed';
      // A fresh object each time: the cached listing stays as it was read.
      return typeof blocks === 'string' ? { ...entry } : { ...entry, ...sizesOf(blocks) };
    });
    return toFilesystems(sized);
  }

  /** Windows lists drives as `C:`, which names the current directory on that drive; its root is `C:\`. */
  private statfsPath(mount: string): string {
    return this.source.platform === 'win32' && /^[A-Za-z]:$/.test(mount) ? `${mount}\\` : mount;
  }
}

export function toFilesystems(reported: readonly Systeminformation.FsSizeData[]): Filesystem[] {
  const byMount = new Map<string, Filesystem>();
  for (const entry of Array.isArray(reported) ? reported : []) {
    const fs = toFilesystem(entry);
    // Bind mounts can list one mount point twice; the first is the real one.
    if (fs !== null && !byMount.has(fs.mount)) byMount.set(fs.mount, fs);
    if (byMount.size >= LIMITS.filesystems) break;
  }
  return [...byMount.values()];
}

// The declared types promise numbers and strings; the sanitizers still check,
// because platforms report null or NaN where they have nothing.
function toFilesystem(fs: Systeminformation.FsSizeData): Filesystem | null {
  const mount = capText(fs.mount, LIMITS.longText);
  const size = wholeOrZero(fs.size);
  // Pseudo filesystems hold no data and only clutter the list.
  if (mount === '' || size === 0) return null;
  const used = clamp(wholeOrZero(fs.used), 0, size);
  const available = clamp(wholeOrZero(fs.available), 0, size);
  return {
    mount,
    fsType: capText(fs.type, LIMITS.shortText),
    device: capText(fs.fs, LIMITS.longText),
    sizeBytes: size,
    usedBytes: used,
    availableBytes: available,
    usedPercent: percentOrNull(fs.use) ?? (used / size) * 100,
  };
}
