import type { Filesystem } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { Systeminformation } from 'systeminformation';
import type { SystemSource } from '../source/system.source';
import { RefreshingValue } from '../util/refreshing-value.util';
import { capText, clamp, percentOrNull, wholeOrZero } from '../util/sanitize.util';

export type FilesystemsSource = Pick<SystemSource, 'fsSize'>;

/** Listing filesystems runs `df` (or a WMI query); usage changes slowly, so a minute-old reading is fine. */
export const FILESYSTEMS_MAX_AGE_MS = 60_000;

export class FilesystemsProbe {
  private readonly list: RefreshingValue<Filesystem[]>;

  constructor(source: FilesystemsSource, now: () => number, maxAgeMs = FILESYSTEMS_MAX_AGE_MS) {
    this.list = new RefreshingValue(async () => toFilesystems(await source.fsSize()), maxAgeMs, now);
  }

  async sample(): Promise<Filesystem[]> {
    // Each call gets its own copy so that a caller cannot change the cached list.
    const list = await this.list.get().catch((): Filesystem[] => []);
    return list.map((fs) => ({ ...fs }));
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
