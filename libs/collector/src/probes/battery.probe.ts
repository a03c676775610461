import type { BatteryMetrics } from '@hostwatch/protocol';
import type { SystemSource } from '../source/system.source';
import { booleanOrNull, finiteOrNull, percentOrNull } from '../util/sanitize.util';

export type BatterySource = Pick<SystemSource, 'battery'>;

const NO_BATTERY: BatteryMetrics = { present: false, percent: null, charging: null, acConnected: null, timeRemainingMinutes: null };

export class BatteryProbe {
  constructor(private readonly source: BatterySource) {}

  async sample(): Promise<BatteryMetrics> {
    // systeminformation fills a missing battery with zeros and acConnected: true;
    // none of that is a reading, so nothing of it is passed on.
    const battery = await this.source.battery().catch(() => null);
    if (battery === null || battery.hasBattery !== true) return { ...NO_BATTERY };
    const minutes = finiteOrNull(battery.timeRemaining);
    return {
      present: true,
      percent: percentOrNull(battery.percent),
      charging: booleanOrNull(battery.isCharging),
      acConnected: booleanOrNull(battery.acConnected),
      // Unknown time left arrives as null or -1.
      timeRemainingMinutes: minutes !== null && minutes >= 0 ? minutes : null,
    };
  }
}
