import { expect } from 'chai';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxCpuProbe } from './linux-cpu.probe';

/** A /proc/stat with the given ticks: [user, nice, system, idle, iowait, irq, softirq, steal] per line. */
function procStat(all: number[], cores: number[][]): string {
  const line = (label: string, ticks: number[]) => `${label} ${[...ticks, 0, 0].join(' ')}`;
  return [line('cpu ', all), ...cores.map((t, i) => line(`cpu${i}`, t)), 'intr 12345 0 0', 'ctxt 999', 'btime 1764000000', 'processes 4242'].join('\n') + '\n';
}

describe(LinuxCpuProbe.name, () => {
  let tree: FakeLinuxTree;
  let sut: LinuxCpuProbe;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    sut = new LinuxCpuProbe(tree.roots, { loadavg: () => [0.42, 0.3, 0.25], platform: 'linux' });
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should report no usage on the first sample, since usage needs two readings, but the load at once', async () => {
    await tree.write('proc/stat', procStat([100, 0, 50, 850, 0, 0, 0, 0], [[50, 0, 25, 425, 0, 0, 0, 0], [50, 0, 25, 425, 0, 0, 0, 0]]));
    expect(await sut.sample()).to.deep.equal({ usagePercent: null, perCorePercent: [], load: { one: 0.42, five: 0.3, fifteen: 0.25 } });
  });

  it('should report the busy share of the ticks since the previous sample, in total and per core', async () => {
    await tree.write('proc/stat', procStat([100, 0, 50, 850, 0, 0, 0, 0], [[50, 0, 25, 425, 0, 0, 0, 0], [50, 0, 25, 425, 0, 0, 0, 0]]));
    await sut.sample();
    // core 0: 60 busy of 100 ticks; core 1: 10 busy (nice, irq, softirq and steal count as busy) of 100.
    await tree.write('proc/stat', procStat([150, 4, 60, 975, 5, 2, 2, 2], [[100, 0, 35, 465, 0, 0, 0, 0], [50, 4, 25, 510, 5, 2, 2, 2]]));
    const cpu = await sut.sample();
    expect(cpu.usagePercent).to.equal(35);
    expect(cpu.perCorePercent).to.deep.equal([60, 10]);
  });

  it('should count time waiting for I/O as idle', async () => {
    await tree.write('proc/stat', procStat([0, 0, 0, 0, 0, 0, 0, 0], []));
    await sut.sample();
    await tree.write('proc/stat', procStat([25, 0, 0, 25, 50, 0, 0, 0], []));
    expect((await sut.sample()).usagePercent).to.equal(25);
  });

  it('should list no cores rather than misnumber them when a core went offline between samples', async () => {
    await tree.write('proc/stat', procStat([0, 0, 0, 0, 0, 0, 0, 0], [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]));
    await sut.sample();
    await tree.write('proc/stat', 'cpu  10 0 0 90 0 0 0 0 0 0\ncpu1 10 0 0 90 0 0 0 0 0 0\ncpu2 5 0 0 5 0 0 0 0 0 0\n');
    const cpu = await sut.sample();
    expect(cpu.usagePercent).to.equal(10);
    expect(cpu.perCorePercent).to.deep.equal([]);
  });

  it('should report null when no ticks passed or /proc/stat cannot be read', async () => {
    await tree.write('proc/stat', procStat([1, 0, 0, 1, 0, 0, 0, 0], []));
    await sut.sample();
    expect((await sut.sample()).usagePercent).to.equal(null);
    await tree.remove('proc/stat');
    expect((await sut.sample()).usagePercent).to.equal(null);
    await tree.write('proc/stat', procStat([2, 0, 0, 2, 0, 0, 0, 0], []));
    expect((await sut.sample()).usagePercent, 'no previous reading after a failed one').to.equal(null);
  });
});
