import { join } from 'node:path';
import type { DiskIo } from '@hostwatch/protocol';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { listDirectory, readCounterTableSync } from '../../linux/proc-files.util';
import { RateMeter } from '../../util/rate-meter.util';
import { RefreshingValue } from '../../util/refreshing-value.util';
import type { Probe } from '../probe.types';

/** /proc/diskstats counts 512-byte sectors whatever the device's own sector size. */
const SECTOR_BYTES = 512;

/** How often the set of whole disks is re-listed, for disks plugged in later. */
export const DISKS_MAX_AGE_MS = 60_000;

/**
 * Devices whose traffic is already counted on the physical disks below them:
 * loop devices read and write files on some disk, device-mapper (LVM, LUKS)
 * and md (software RAID) pass their I/O on to member disks. RAM disks and zram
 * are memory, not disks.
 */
const STACKED_OR_MEMORY = /^(?:loop|ram|zram|dm-|md)\d/;

interface DiskCounters {
  name: string;
  readBytes: number;
  writtenBytes: number;
}

/**
 * Bytes read and written per second across the machine's whole disks, from
 * /proc/diskstats. Partitions are left out because their traffic is also in
 * their disk's line; which lines are whole disks is what /sys/block lists (it
 * holds disks, never partitions), because names alone cannot tell: `sda1` and
 * `nvme0n1p1` are partitions, but `nvme0n10` is a disk. Where sysfs is not
 * mounted, a device named after another device plus an optional `p` and digits
 * counts as its partition. The counters are read, and timed by `now` (a
 * monotonic clock) as the read returns, before anything else of the sample.
 */
export class LinuxDiskIoProbe implements Probe<DiskIo> {
  private readonly meter = new RateMeter();
  private readonly disks: RefreshingValue<Set<string> | null>;
  private readonly buffer = Buffer.allocUnsafe(16 * 1024);

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc' | 'sys'>,
    private readonly now: () => number,
    maxAgeMs = DISKS_MAX_AGE_MS,
  ) {
    this.disks = new RefreshingValue(async () => this.listDisks(), maxAgeMs, now);
  }

  async sample(): Promise<DiskIo> {
    // Timed at the read itself: whatever the sample does next (listing disks) must not stretch the interval.
    const table = readCounterTableSync(join(this.roots.proc, 'diskstats'), this.now, this.buffer);
    const disks = await this.disks.get();
    const all = parseDiskstats(table.text ?? '');
    const whole = all.filter((d) => !STACKED_OR_MEMORY.test(d.name) && (disks === null ? !isPartitionByName(d.name, all) : disks.has(sysfsName(d.name))));
    const totals = new Map<string, number | null>();
    for (const d of whole) {
      totals.set(`read:${d.name}`, d.readBytes);
      totals.set(`write:${d.name}`, d.writtenBytes);
    }
    // Rates per disk, then summed: a disk plugged in between two samples must not count its whole history as one second's traffic.
    const rates = this.meter.measure(table.at, totals);
    return {
      readBytesPerSec: sumOf(whole.map((d) => rates.get(`read:${d.name}`) ?? null)),
      writeBytesPerSec: sumOf(whole.map((d) => rates.get(`write:${d.name}`) ?? null)),
    };
  }

  /** Whole disks by name, or null where sysfs cannot tell. */
  private async listDisks(): Promise<Set<string> | null> {
    const names = await listDirectory(join(this.roots.sys, 'block'));
    return names.length > 0 ? new Set(names) : null;
  }
}

/** Null until some disk has two readings; disks without one yet are left out of the sum. */
function sumOf(rates: ReadonlyArray<number | null>): number | null {
  const known = rates.filter((r): r is number => r !== null);
  return known.length === 0 ? null : known.reduce((sum, r) => sum + r, 0);
}

/** sysfs spells a `/` in a device name (`cciss/c0d0`) as `!`. */
function sysfsName(name: string): string {
  return name.replaceAll('/', '!');
}

function isPartitionByName(name: string, all: readonly DiskCounters[]): boolean {
  return all.some((d) => d.name !== name && name.startsWith(d.name) && /^p?\d+$/.test(name.slice(d.name.length)));
}

/** `major minor name reads merged sectors_read ms writes merged sectors_written ...` per device. */
export function parseDiskstats(text: string): DiskCounters[] {
  const result: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const name = fields[2];
    const read = Number(fields[5]);
    const written = Number(fields[9]);
    if (name === undefined || !Number.isSafeInteger(read) || !Number.isSafeInteger(written) || read < 0 || written < 0) continue;
    result.push({ name, readBytes: read * SECTOR_BYTES, writtenBytes: written * SECTOR_BYTES });
  }
  return result;
}
