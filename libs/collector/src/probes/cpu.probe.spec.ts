import { expect } from 'chai';
import { coreLoad, currentLoadData } from '../testing/system-data.fixtures';
import { CpuProbe, type CpuSource } from './cpu.probe';

describe(CpuProbe.name, () => {
  function sourceWith(overrides: Partial<CpuSource> = {}): CpuSource {
    return {
      currentLoad: async () => currentLoadData({ currentLoad: 25, cpus: [coreLoad(20), coreLoad(30)] }),
      loadavg: () => [0.42, 0.3, 0.25],
      platform: 'linux',
      ...overrides,
    };
  }

  it('should report total and per-core usage and the 1/5/15 minute load', async () => {
    const sut = new CpuProbe(sourceWith());
    expect(await sut.sample()).to.deep.equal({
      usagePercent: 25,
      perCorePercent: [20, 30],
      load: { one: 0.42, five: 0.3, fifteen: 0.25 },
    });
  });

  it('should report no load average on Windows instead of the zeros Node gives there', async () => {
    const sut = new CpuProbe(sourceWith({ platform: 'win32', loadavg: () => [0, 0, 0] }));
    expect((await sut.sample()).load).to.equal(null);
  });

  it('should keep a real zero load on Linux', async () => {
    const sut = new CpuProbe(sourceWith({ loadavg: () => [0, 0, 0] }));
    expect((await sut.sample()).load).to.deep.equal({ one: 0, five: 0, fifteen: 0 });
  });

  it('should report an unreadable usage as null and clamp an impossible one to 100', async () => {
    const unreadable = new CpuProbe(sourceWith({ currentLoad: async () => currentLoadData({ currentLoad: Number.NaN }) }));
    expect((await unreadable.sample()).usagePercent).to.equal(null);
    const impossible = new CpuProbe(sourceWith({ currentLoad: async () => currentLoadData({ currentLoad: 180, cpus: [coreLoad(250)] }) }));
    const sample = await impossible.sample();
    expect(sample.usagePercent).to.equal(100);
    expect(sample.perCorePercent).to.deep.equal([100]);
  });

  it('should list no cores rather than misnumber them when one core is unreadable', async () => {
    const sut = new CpuProbe(sourceWith({ currentLoad: async () => currentLoadData({ cpus: [coreLoad(20), coreLoad(Number.NaN), coreLoad(30)] }) }));
    expect((await sut.sample()).perCorePercent).to.deep.equal([]);
  });
});
