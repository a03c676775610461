import { validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { extractSeries } from './series';

describe('extractSeries', () => {
  it('should name every charted value of a snapshot with its unit', () => {
    const sut = extractSeries(validSnapshot());

    const byName = Object.fromEntries(sut.map((p) => [p.name, [p.unit, p.value]]));
    expect(byName).to.deep.include({
      cpu: ['%', 12.5],
      'cpu.core:0': ['%', 10],
      'cpu.core:1': ['%', 15],
      'load.1': ['load', 0.42],
      'memory.used': ['bytes', 2_147_483_648],
      'memory.available': ['bytes', 6_442_450_944],
      'swap.used': ['bytes', 0],
      'net.rx:eth0': ['bytes/s', 2048],
      'net.tx:eth0': ['bytes/s', 1024],
      'disk.write': ['bytes/s', 16384],
      'fs.used:/': ['%', 30],
    });
  });

  it('should leave out what the host did not report instead of storing zeros', () => {
    const snapshot = validSnapshot();
    snapshot.cpu.usagePercent = null;
    snapshot.cpu.load = null;
    snapshot.diskIo = { readBytesPerSec: null, writeBytesPerSec: null };

    const names = extractSeries(snapshot).map((p) => p.name);

    expect(names).to.not.include.members(['cpu', 'load.1', 'disk.read', 'disk.write', 'battery', 'temp.cpu']);
  });

  it('should record the battery and temperatures where the host has them', () => {
    const snapshot = validSnapshot({
      battery: { present: true, percent: 81, charging: true, acConnected: true, timeRemainingMinutes: null },
      temperatures: { cpuMainC: 48, cpuMaxC: 55, perCoreC: [47, 49] },
    });

    const names = extractSeries(snapshot).map((p) => p.name);

    expect(names).to.include.members(['battery', 'temp.cpu', 'temp.cpu.max', 'temp.core:0', 'temp.core:1']);
  });
});
