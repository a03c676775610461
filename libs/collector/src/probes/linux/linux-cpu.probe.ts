import { join } from 'node:path';
import type { CpuMetrics } from '@hostwatch/protocol';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { readKernelTable } from '../../linux/proc-files.util';
import type { SystemSource } from '../../source/system.source';
import { loadAverage, perCoreList } from '../cpu.probe';
import type { Probe } from '../probe.types';

/** Cumulative clock ticks of one CPU line of /proc/stat. */
interface CpuTicks {
  busy: number;
  total: number;
}

interface StatCpus {
  all: CpuTicks | null;
  /** By core number, in the kernel's order; offline cores are missing. */
  cores: Map<number, CpuTicks>;
}

/**
 * CPU usage from the kernel's tick counters in /proc/stat: the share of ticks
 * that were not idle between this sample and the previous one. systeminformation
 * waits half a second on its first call to get two readings; here the first
 * sample reports null instead, and every later one covers the whole interval.
 */
export class LinuxCpuProbe implements Probe<CpuMetrics> {
  private previous: StatCpus | null = null;

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc'>,
    private readonly source: Pick<SystemSource, 'loadavg' | 'platform'>,
  ) {}

  async sample(): Promise<CpuMetrics> {
    const text = await readKernelTable(join(this.roots.proc, 'stat'));
    const current = text === null ? null : parseStatCpus(text);
    const before = this.previous;
    this.previous = current;
    return {
      usagePercent: usage(before?.all, current?.all),
      perCorePercent: current === null || before === null ? [] : perCoreList([...current.cores].map(([n, ticks]) => usage(before.cores.get(n), ticks))),
      load: loadAverage(this.source),
    };
  }
}

function usage(before: CpuTicks | null | undefined, after: CpuTicks | null | undefined): number | null {
  if (before == null || after == null) return null;
  const total = after.total - before.total;
  const busy = after.busy - before.busy;
  // No ticks passed, or counters went backwards (a core went offline and back): nothing to measure.
  if (!(total > 0) || busy < 0 || busy > total) return null;
  return (busy / total) * 100;
}

export function parseStatCpus(text: string): StatCpus {
  const result: StatCpus = { all: null, cores: new Map() };
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [label = '', ...fields] = line.trim().split(/\s+/);
    const ticks = toTicks(fields.map(Number));
    if (ticks === null) continue;
    if (label === 'cpu') result.all = ticks;
    else if (/^cpu\d+$/.test(label)) result.cores.set(Number(label.slice(3)), ticks);
  }
  return result;
}

// user nice system idle iowait irq softirq steal [guest guest_nice]: guest time
// is already counted in user and nice, so only the first eight add up to the
// total. Waiting for I/O is idle time: the CPU could have run something else.
function toTicks(fields: number[]): CpuTicks | null {
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  if (user === undefined || nice === undefined || system === undefined || idle === undefined) return null;
  const counted = [user, nice, system, idle, iowait, irq, softirq, steal];
  if (!counted.every((n) => Number.isFinite(n) && n >= 0)) return null;
  const total = counted.reduce((sum, n) => sum + n, 0);
  return { busy: total - idle - iowait, total };
}
