import { join } from 'node:path';
import type { TemperatureMetrics } from '@hostwatch/protocol';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { listDirectory, mapBounded, parseInteger, readSmallFile } from '../../linux/proc-files.util';
import { RefreshingValue } from '../../util/refreshing-value.util';
import type { Probe } from '../probe.types';
import { toTemperatureMetrics } from '../temperatures.probe';

/** hwmon drivers that measure the CPU itself: Intel, AMD (in-kernel and out-of-tree), and ARM boards such as the Raspberry Pi. */
const CPU_CHIPS: ReadonlySet<string> = new Set(['coretemp', 'k10temp', 'zenpower', 'k8temp', 'cpu_thermal', 'cpu-thermal', 'soc_thermal']);

/** Thermal zones (the fallback where no hwmon chip is known) that sit on the CPU package. */
const CPU_ZONE = /^(?:x86_pkg_temp|cpu.*|soc.*)$/i;

/** Sensors are fixed hardware; they are looked for again now and then for drivers loaded later. */
export const SENSORS_MAX_AGE_MS = 10 * 60_000;

/** Paths of the `*_input` files to read each sample, in millidegrees Celsius. */
interface Sensors {
  main: string | null;
  cores: string[];
  all: string[];
}

const NO_SENSORS: Sensors = { main: null, cores: [], all: [] };

/**
 * CPU temperatures from sysfs: the hwmon chip of the CPU (package and per-core
 * sensors on Intel, Tdie/Tctl on AMD), else the CPU's thermal zone. Finding the
 * sensors takes a walk through sysfs, so it is cached; a sample reads only
 * their input files.
 */
export class LinuxTemperaturesProbe implements Probe<TemperatureMetrics> {
  private readonly sensors: RefreshingValue<Sensors>;

  constructor(
    private readonly roots: Pick<LinuxRoots, 'sys'>,
    now: () => number,
    maxAgeMs = SENSORS_MAX_AGE_MS,
  ) {
    this.sensors = new RefreshingValue(() => this.discover(), maxAgeMs, now);
  }

  async sample(): Promise<TemperatureMetrics> {
    const sensors = await this.sensors.get().catch(() => NO_SENSORS);
    if (sensors.all.length === 0) return toTemperatureMetrics(null, null, []);
    const readings = new Map<string, number | null>();
    const values = await mapBounded(sensors.all, 8, async (path) => celsius(await readSmallFile(path, 64)));
    sensors.all.forEach((path, i) => readings.set(path, values[i] ?? null));
    const known = values.filter((c): c is number => c !== null && c > 0);
    return toTemperatureMetrics(
      sensors.main === null ? null : readings.get(sensors.main),
      known.length > 0 ? Math.max(...known) : null,
      sensors.cores.map((path) => readings.get(path)),
    );
  }

  private async discover(): Promise<Sensors> {
    const fromChips = await this.discoverChips();
    return fromChips.all.length > 0 ? fromChips : this.discoverZones();
  }

  private async discoverChips(): Promise<Sensors> {
    const base = join(this.roots.sys, 'class', 'hwmon');
    const chips = byNumber(await listDirectory(base), /^hwmon(\d+)$/);
    const names = await Promise.all(chips.map(async (chip) => ((await readSmallFile(join(base, chip, 'name'), 64)) ?? '').trim()));
    const found: Sensors = { main: null, cores: [], all: [] };
    let fallbackMain: string | null = null;
    for (const [i, chip] of chips.entries()) {
      if (!CPU_CHIPS.has(names[i] ?? '')) continue;
      const dir = join(base, chip);
      const inputs = byNumber(await listDirectory(dir), /^temp(\d+)_input$/);
      const labels = await Promise.all(inputs.map(async (input) => ((await readSmallFile(join(dir, input.replace(/_input$/, '_label')), 64)) ?? '').trim()));
      const cores: Array<{ n: number; path: string }> = [];
      for (const [j, input] of inputs.entries()) {
        const path = join(dir, input);
        const label = labels[j] ?? '';
        found.all.push(path);
        fallbackMain ??= path;
        const core = /^Core (\d+)$/.exec(label);
        if (core !== null) cores.push({ n: Number(core[1]), path });
        // The package sensor on Intel; on AMD, Tdie is the die itself and Tctl the same with a fan-control offset on some models.
        if (/^Package id \d+$/.test(label) || label === 'Tdie' || (label === 'Tctl' && found.main === null)) {
          if (found.main === null || label === 'Tdie') found.main = path;
        }
      }
      found.cores.push(...cores.sort((a, b) => a.n - b.n).map((c) => c.path));
    }
    found.main ??= fallbackMain;
    return found;
  }

  private async discoverZones(): Promise<Sensors> {
    const base = join(this.roots.sys, 'class', 'thermal');
    const zones = byNumber(await listDirectory(base), /^thermal_zone(\d+)$/);
    const types = await Promise.all(zones.map(async (zone) => ((await readSmallFile(join(base, zone, 'type'), 64)) ?? '').trim()));
    const all = zones.filter((_, i) => CPU_ZONE.test(types[i] ?? '')).map((zone) => join(base, zone, 'temp'));
    return { main: all[0] ?? null, cores: [], all };
  }
}

/** Names that match `pattern`, ordered by the number it captures (hwmon10 after hwmon9). */
function byNumber(names: readonly string[], pattern: RegExp): string[] {
  return names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]))
    .map((e) => e.name);
}

function celsius(text: string | null): number | null {
  const milli = parseInteger(text);
  return milli === null ? null : milli / 1000;
}
