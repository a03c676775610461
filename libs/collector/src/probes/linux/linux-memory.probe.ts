import { join } from 'node:path';
import type { MemoryMetrics } from '@hostwatch/protocol';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { readKernelTable } from '../../linux/proc-files.util';
import { toMemoryMetrics } from '../memory.probe';
import type { Probe } from '../probe.types';

/** Memory from /proc/meminfo, the file `free` reads. */
export class LinuxMemoryProbe implements Probe<MemoryMetrics> {
  constructor(private readonly roots: Pick<LinuxRoots, 'proc'>) {}

  async sample(): Promise<MemoryMetrics> {
    const info = parseMeminfo((await readKernelTable(join(this.roots.proc, 'meminfo'))) ?? '');
    const swapTotal = info.get('SwapTotal');
    const swapFree = info.get('SwapFree');
    return toMemoryMetrics({
      total: info.get('MemTotal'),
      free: info.get('MemFree'),
      // Kernels before 3.14 have no MemAvailable; free memory is then the honest lower bound.
      available: info.get('MemAvailable'),
      swapTotal,
      swapUsed: swapTotal !== undefined && swapFree !== undefined ? swapTotal - swapFree : undefined,
    });
  }
}

/** /proc/meminfo in bytes by field name; the kernel's "kB" are KiB. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (match === null) continue;
    const value = Number(match[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1);
    if (Number.isSafeInteger(value)) fields.set(match[1] as string, value);
  }
  return fields;
}
