import type { TemperatureMetrics } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { SystemSource } from '../source/system.source';
import { positiveOrNull } from '../util/sanitize.util';

export type TemperaturesSource = Pick<SystemSource, 'cpuTemperature'>;

/** Above this a "reading" is a driver's sentinel value, not a CPU that is still running. */
const MAX_PLAUSIBLE_C = 300;

/**
 * Machines without sensors (most VMs, many laptops on Windows) report null, -1
 * or 0; a CPU at or below 0 °C is not running, so such readings are absent.
 */
function reading(value: unknown): number | null {
  const c = positiveOrNull(value);
  return c !== null && c <= MAX_PLAUSIBLE_C ? c : null;
}

export class TemperaturesProbe {
  constructor(private readonly source: TemperaturesSource) {}

  async sample(): Promise<TemperatureMetrics> {
    const temps = await this.source.cpuTemperature().catch(() => null);
    if (temps === null) return toTemperatureMetrics(null, null, []);
    return toTemperatureMetrics(temps.main, temps.max, Array.isArray(temps.cores) ? temps.cores : []);
  }
}

/** Readings in °C, each possibly absent or a sensor's sentinel value. */
export function toTemperatureMetrics(main: unknown, max: unknown, perCore: readonly unknown[]): TemperatureMetrics {
  const cores = perCore.slice(0, LIMITS.cpuCores).map(reading);
  return {
    cpuMainC: reading(main),
    cpuMaxC: reading(max),
    // A partial list would misnumber the cores after a gap, so it is all or nothing.
    perCoreC: cores.every((c): c is number => c !== null) ? cores : [],
  };
}
