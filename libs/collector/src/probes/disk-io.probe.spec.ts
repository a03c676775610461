import { expect } from 'chai';
import type { Systeminformation } from 'systeminformation';
import { FakeClock } from '../testing/fake-clock';
import { fsStatsData } from '../testing/system-data.fixtures';
import { DiskIoProbe } from './disk-io.probe';

describe(DiskIoProbe.name, () => {
  let clock: FakeClock;
  let stats: Systeminformation.FsStatsData | null;
  let sut: DiskIoProbe;

  beforeEach(() => {
    clock = new FakeClock();
    stats = fsStatsData({ rx: 1_000_000, wx: 2_000_000 });
    sut = new DiskIoProbe({ fsStats: async () => stats as Systeminformation.FsStatsData }, clock.now);
  });

  it('should report null rates on the first sample', async () => {
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: null, writeBytesPerSec: null });
  });

  it('should compute bytes read and written per second from the totals and the clock', async () => {
    await sut.sample();
    clock.advance(4_000);
    stats = fsStatsData({ rx: 1_400_000, wx: 2_000_000, rx_sec: 123, wx_sec: 456 });
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: 100_000, writeBytesPerSec: 0 });
  });

  it('should report null rates where the platform has no disk counters', async () => {
    await sut.sample();
    clock.advance(1_000);
    stats = null;
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: null, writeBytesPerSec: null });
  });

  it('should report null rates when reading the counters fails', async () => {
    const failing = new DiskIoProbe({ fsStats: () => Promise.reject(new Error('ENOENT')) }, clock.now);
    await failing.sample();
    clock.advance(1_000);
    expect(await failing.sample()).to.deep.equal({ readBytesPerSec: null, writeBytesPerSec: null });
  });
});
