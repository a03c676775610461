import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DEFAULT_LINUX_ROOTS } from '../../linux/linux-roots.util';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxCpuProbe, parseStatCpus } from './linux-cpu.probe';

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
    await tree.write(
      'proc/stat',
      procStat(
        [100, 0, 50, 850, 0, 0, 0, 0],
        [
          [50, 0, 25, 425, 0, 0, 0, 0],
          [50, 0, 25, 425, 0, 0, 0, 0],
        ],
      ),
    );
    expect(await sut.sample()).to.deep.equal({ usagePercent: null, perCorePercent: [], load: { one: 0.42, five: 0.3, fifteen: 0.25 } });
  });

  it('should match the kernel on this machine: nothing on the first sample, then a share the tick counters around each sample bound', async function () {
    let stat: () => ReturnType<typeof parseStatCpus>;
    try {
      readFileSync('/proc/stat');
      stat = () => parseStatCpus(readFileSync('/proc/stat', 'utf8'));
    } catch {
      this.skip();
    }
    const probe = new LinuxCpuProbe(DEFAULT_LINUX_ROOTS, { loadavg: () => [0, 0, 0], platform: 'linux' });
    const s0 = stat();
    const first = await probe.sample();
    const s1 = stat();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const s2 = stat();
    const second = await probe.sample();
    const s3 = stat();
    expect(first.usagePercent).to.equal(null);
    expect(first.perCorePercent).to.deep.equal([]);
    expect(second.perCorePercent).to.have.length(s3.cores.size);
    const [a0, a1, a2, a3] = [s0, s1, s2, s3].map((s) => s.all ?? { busy: Number.NaN, total: Number.NaN }) as [
      { busy: number; total: number },
      { busy: number; total: number },
      { busy: number; total: number },
      { busy: number; total: number },
    ];
    const low = ((a2.busy - a1.busy) / (a3.total - a0.total)) * 100;
    const high = ((a3.busy - a0.busy) / (a2.total - a1.total)) * 100;
    expect(second.usagePercent).to.be.within(low, high);
  });

  it('should report the busy share of the ticks since the previous sample, in total and per core', async () => {
    await tree.write(
      'proc/stat',
      procStat(
        [100, 0, 50, 850, 0, 0, 0, 0],
        [
          [50, 0, 25, 425, 0, 0, 0, 0],
          [50, 0, 25, 425, 0, 0, 0, 0],
        ],
      ),
    );
    await sut.sample();
    // core 0: 60 busy of 100 ticks; core 1: 10 busy (nice, irq, softirq and steal count as busy) of 100.
    await tree.write(
      'proc/stat',
      procStat(
        [150, 4, 60, 975, 5, 2, 2, 2],
        [
          [100, 0, 35, 465, 0, 0, 0, 0],
          [50, 4, 25, 510, 5, 2, 2, 2],
        ],
      ),
    );
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
    await tree.write(
      'proc/stat',
      procStat(
        [0, 0, 0, 0, 0, 0, 0, 0],
        [
          [0, 0, 0, 0, 0, 0, 0, 0],
          [0, 0, 0, 0, 0, 0, 0, 0],
        ],
      ),
    );
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
