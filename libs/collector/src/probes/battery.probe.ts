import type { BatteryMetrics } from '@hostwatch/protocol';
import type { SystemSource } from '../source/system.source';
import { booleanOrNull, finiteOrNull, percentOrNull } from '../util/sanitize.util';

export type BatterySource = Pick<SystemSource, 'battery'>;

export const NO_BATTERY: Readonly<BatteryMetrics> = { present: false, percent: null, charging: null, acConnected: null, timeRemainingMinutes: null };

export class BatteryProbe {
  constructor(private readonly source: BatterySource) {}

  async sample(): Promise<BatteryMetrics> {
    // systeminformation fills a missing battery with zeros and acConnected: true;
    // none of that is a reading, so nothing of it is passed on.
    const battery = await this.source.battery().catch(() => null);
    if (battery === null || battery.hasBattery !== true) return { ...NO_BATTERY };
    return toBatteryMetrics({ percent: battery.percent, charging: battery.isCharging, acConnected: battery.acConnected, minutesLeft: battery.timeRemaining });
  }
}

/** A present battery as the platform reported it, each figure possibly absent. */
export interface BatteryReading {
  percent: unknown;
  charging: unknown;
  acConnected: unknown;
  minutesLeft: unknown;
}

export function toBatteryMetrics(reading: BatteryReading): BatteryMetrics {
  const minutes = finiteOrNull(reading.minutesLeft);
  return {
    present: true,
    percent: percentOrNull(reading.percent),
    charging: booleanOrNull(reading.charging),
    acConnected: booleanOrNull(reading.acConnected),
    // Unknown time left arrives as null or -1.
    timeRemainingMinutes: minutes !== null && minutes >= 0 ? minutes : null,
  };
}
