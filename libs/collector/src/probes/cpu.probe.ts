import type { CpuMetrics } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { SystemSource } from '../source/system.source';
import { finiteOrNull, percentOrNull } from '../util/sanitize.util';

export type CpuSource = Pick<SystemSource, 'currentLoad' | 'loadavg' | 'platform'>;

export class CpuProbe {
  constructor(private readonly source: CpuSource) {}

  async sample(): Promise<CpuMetrics> {
    const load = await this.source.currentLoad();
    return {
      usagePercent: percentOrNull(load.currentLoad),
      perCorePercent: perCoreList((load.cpus ?? []).map((core) => core.load)),
      load: loadAverage(this.source),
    };
  }
}

/** Per-core usage in core order; one unreadable core would shift every later core's index, so then none are listed. */
export function perCoreList(loads: readonly unknown[]): number[] {
  const perCore = loads.slice(0, LIMITS.cpuCores).map(percentOrNull);
  return perCore.every((p): p is number => p !== null) ? perCore : [];
}

export function loadAverage(source: Pick<CpuSource, 'loadavg' | 'platform'>): CpuMetrics['load'] {
  // Windows has no load average; Node reports zeros there, which would read as an idle machine.
  if (source.platform === 'win32') return null;
  const [one, five, fifteen] = source.loadavg().map(finiteOrNull);
  if (one == null || five == null || fifteen == null) return null;
  return { one: Math.max(0, one), five: Math.max(0, five), fifteen: Math.max(0, fifteen) };
}
