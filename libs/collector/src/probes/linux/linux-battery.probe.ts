import { join } from 'node:path';
import type { BatteryMetrics } from '@hostwatch/protocol';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { listDirectory, parseInteger, readSmallFile } from '../../linux/proc-files.util';
import { RefreshingValue } from '../../util/refreshing-value.util';
import { NO_BATTERY, toBatteryMetrics } from '../battery.probe';
import type { Probe } from '../probe.types';

/** Batteries and chargers are found again now and then, for a battery slid in while the agent runs. */
export const POWER_SUPPLIES_MAX_AGE_MS = 60_000;

interface Supplies {
  batteries: string[];
  mains: string[];
}

interface BatteryState {
  present: boolean;
  capacity: number | null;
  status: string;
  /** µWh or µAh, whichever the driver reports; never mixed within one battery. */
  now: number | null;
  full: number | null;
  /** µW or µA, matching `now`. */
  rate: number | null;
}

/**
 * The battery from /sys/class/power_supply: the machine's own batteries (not a
 * wireless mouse's, whose scope is `Device`) and whether a mains charger is
 * online. Two batteries (some ThinkPads) report as one by their summed charge.
 */
export class LinuxBatteryProbe implements Probe<BatteryMetrics> {
  private readonly supplies: RefreshingValue<Supplies>;

  constructor(
    private readonly roots: Pick<LinuxRoots, 'sys'>,
    now: () => number,
    maxAgeMs = POWER_SUPPLIES_MAX_AGE_MS,
  ) {
    this.supplies = new RefreshingValue(() => this.discover(), maxAgeMs, now);
  }

  async sample(): Promise<BatteryMetrics> {
    const supplies = await this.supplies.get().catch((): Supplies => ({ batteries: [], mains: [] }));
    const [batteries, online] = await Promise.all([
      Promise.all(supplies.batteries.map((dir) => this.readBattery(dir))),
      Promise.all(supplies.mains.map(async (dir) => parseInteger(await readSmallFile(join(dir, 'online'), 16)))),
    ]);
    const present = batteries.filter((b) => b.present);
    if (present.length === 0) return { ...NO_BATTERY };
    const statuses = present.map((b) => b.status).filter((s) => s !== '' && s !== 'Unknown');
    const discharging = statuses.length > 0 && statuses.every((s) => s === 'Discharging');
    const complete = present.every((b) => b.now !== null && b.full !== null && b.full > 0);
    const sumOf = (pick: (b: BatteryState) => number | null): number => present.reduce((sum, b) => sum + (pick(b) ?? 0), 0);
    const capacities = present.map((b) => b.capacity).filter((c): c is number => c !== null);
    const rate = sumOf((b) => b.rate);
    return toBatteryMetrics({
      percent: complete
        ? (sumOf((b) => b.now) / sumOf((b) => b.full)) * 100
        : capacities.length > 0
          ? capacities.reduce((a, b) => a + b, 0) / capacities.length
          : null,
      charging: statuses.length === 0 ? null : statuses.includes('Charging'),
      acConnected: online.some((o) => o === 1) ? true : online.some((o) => o === 0) ? false : null,
      // Only a discharging battery has a time left that its drain rate can tell.
      minutesLeft: discharging && complete && rate > 0 ? (sumOf((b) => b.now) / rate) * 60 : null,
    });
  }

  private async readBattery(dir: string): Promise<BatteryState> {
    const read = async (name: string): Promise<string | null> => readSmallFile(join(dir, name), 64);
    const [present, capacity, status, energyNow, energyFull, powerNow, chargeNow, chargeFull, currentNow] = await Promise.all(
      ['present', 'capacity', 'status', 'energy_now', 'energy_full', 'power_now', 'charge_now', 'charge_full', 'current_now'].map(read),
    );
    const energy = parseInteger(energyNow) !== null;
    return {
      // Drivers without a `present` attribute have their battery in.
      present: parseInteger(present) !== 0,
      capacity: parseInteger(capacity),
      status: (status ?? '').trim(),
      now: energy ? parseInteger(energyNow) : parseInteger(chargeNow),
      full: energy ? parseInteger(energyFull) : parseInteger(chargeFull),
      // Some drivers report a discharge as a negative current.
      rate: absOrNull(parseInteger(energy ? powerNow : currentNow)),
    };
  }

  private async discover(): Promise<Supplies> {
    const base = join(this.roots.sys, 'class', 'power_supply');
    const names = (await listDirectory(base)).sort();
    const found: Supplies = { batteries: [], mains: [] };
    await Promise.all(
      names.map(async (name) => {
        const dir = join(base, name);
        const [type, scope] = await Promise.all([readSmallFile(join(dir, 'type'), 64), readSmallFile(join(dir, 'scope'), 64)]);
        if (scope?.trim() === 'Device') return;
        if (type?.trim() === 'Battery') found.batteries.push(dir);
        if (type?.trim() === 'Mains') found.mains.push(dir);
      }),
    );
    found.batteries.sort();
    found.mains.sort();
    return found;
  }
}

function absOrNull(n: number | null): number | null {
  return n === null ? null : Math.abs(n);
}
