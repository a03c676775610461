import type { Snapshot } from '@hostwatch/protocol';

export type SeriesUnit = '%' | 'bytes' | 'bytes/s' | '°C' | 'load';

/** One value of one named series at the snapshot's time. */
export interface SeriesPoint {
  /**
   * Opaque series name: a kind, and after a colon the instance where a host
   * has several (`cpu`, `cpu.core:0`, `net.rx:eth0`, `fs.used:/var/lib`).
   * The colon keeps names unambiguous although interface names and mount
   * points may contain dots and slashes.
   */
  name: string;
  unit: SeriesUnit;
  value: number;
}

/**
 * The numeric series a user charts, taken from one snapshot. A value the
 * host did not report (null) is left out rather than stored as zero, so a
 * chart shows a gap, not a made-up dip.
 */
export function extractSeries(snapshot: Snapshot): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  const add = (name: string, unit: SeriesUnit, value: number | null | undefined): void => {
    if (value !== null && value !== undefined && Number.isFinite(value)) points.push({ name, unit, value });
  };

  add('cpu', '%', snapshot.cpu.usagePercent);
  snapshot.cpu.perCorePercent.forEach((value, core) => add(`cpu.core:${core}`, '%', value));
  add('load.1', 'load', snapshot.cpu.load?.one);
  add('load.5', 'load', snapshot.cpu.load?.five);
  add('load.15', 'load', snapshot.cpu.load?.fifteen);
  add('memory.used', 'bytes', snapshot.memory.usedBytes);
  add('memory.available', 'bytes', snapshot.memory.availableBytes);
  add('swap.used', 'bytes', snapshot.memory.swapUsedBytes);
  for (const nic of snapshot.network) {
    add(`net.rx:${nic.name}`, 'bytes/s', nic.rxBytesPerSec);
    add(`net.tx:${nic.name}`, 'bytes/s', nic.txBytesPerSec);
  }
  add('disk.read', 'bytes/s', snapshot.diskIo.readBytesPerSec);
  add('disk.write', 'bytes/s', snapshot.diskIo.writeBytesPerSec);
  for (const fs of snapshot.filesystems) add(`fs.used:${fs.mount}`, '%', fs.usedPercent);
  add('temp.cpu', '°C', snapshot.temperatures.cpuMainC);
  add('temp.cpu.max', '°C', snapshot.temperatures.cpuMaxC);
  snapshot.temperatures.perCoreC.forEach((value, core) => add(`temp.core:${core}`, '°C', value));
  if (snapshot.battery.present) add('battery', '%', snapshot.battery.percent);
  return points;
}
