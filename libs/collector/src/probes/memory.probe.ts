import type { MemoryMetrics } from '@hostwatch/protocol';
import type { SystemSource } from '../source/system.source';
import { clamp, wholeOrNull, wholeOrZero } from '../util/sanitize.util';

export type MemorySource = Pick<SystemSource, 'mem'>;

export class MemoryProbe {
  constructor(private readonly source: MemorySource) {}

  async sample(): Promise<MemoryMetrics> {
    const mem = await this.source.mem();
    return toMemoryMetrics({ total: mem.total, free: mem.free, available: mem.available, swapTotal: mem.swaptotal, swapUsed: mem.swapused });
  }
}

/** Memory figures in bytes as a platform reported them, each possibly absent or absurd. */
export interface MemoryReading {
  total: unknown;
  free: unknown;
  available: unknown;
  swapTotal: unknown;
  swapUsed: unknown;
}

export function toMemoryMetrics(reading: MemoryReading): MemoryMetrics {
  const total = wholeOrZero(reading.total);
  const free = clamp(wholeOrZero(reading.free), 0, total);
  const available = clamp(wholeOrNull(reading.available) ?? free, 0, total);
  // "Used" is what programs hold: total minus available, as `free` and htop
  // count it. systeminformation's own `used` also counts the page cache,
  // which the kernel hands back on demand, so a healthy machine would look full.
  const used = total - available;
  const swapTotal = wholeOrZero(reading.swapTotal);
  return {
    totalBytes: total,
    usedBytes: used,
    availableBytes: available,
    freeBytes: free,
    swapTotalBytes: swapTotal,
    swapUsedBytes: clamp(wholeOrZero(reading.swapUsed), 0, swapTotal),
    usedPercent: total > 0 ? clamp((used / total) * 100, 0, 100) : 0,
  };
}
