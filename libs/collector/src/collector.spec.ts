import { hostFactsSchema, LIMITS, metricsSchema, parseWith } from '@hostwatch/protocol';
import { expect } from 'chai';
import { createCollector } from './collector';
import { ProbeSetUnavailableError } from './collector.types';
import type { SystemSource } from './source/system.source';
import { FakeClock } from './testing/fake-clock';
import { FakeLinuxTree } from './testing/fake-linux-tree';
import {
  cpuData,
  currentLoadData,
  fakeSystemSource,
  fsSizeData,
  fsStatsData,
  memData,
  nicData,
  nicStatsData,
  osData,
  processData,
  processesData,
  REPORTED_NULL,
} from './testing/system-data.fixtures';

function expectValid(result: { ok: true } | { ok: false; message: string }): void {
  expect(result.ok, result.ok ? '' : result.message).to.equal(true);
}

describe(createCollector.name, () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  it('should collect facts and samples that validate against the protocol schemas', async () => {
    const sut = createCollector({ now: clock.now }, fakeSystemSource());
    expectValid(parseWith(hostFactsSchema, await sut.collectFacts()));
    expectValid(parseWith(metricsSchema, await sut.sample()));
  });

  it('should report null rates on the first sample and measured rates on the next', async () => {
    let rx = 1_000_000;
    let read = 1_000_000;
    const sut = createCollector(
      { now: clock.now, monotonicNow: clock.now },
      fakeSystemSource({
        networkStats: async () => [nicStatsData({ iface: 'eth0', rx_bytes: rx })],
        fsStats: async () => fsStatsData({ rx: read }),
      }),
    );
    const first = await sut.sample();
    expect(first.network[0]?.rxBytesPerSec).to.equal(null);
    expect(first.diskIo.readBytesPerSec).to.equal(null);
    clock.advance(5_000);
    rx += 50_000;
    read += 5_000;
    const second = await sut.sample();
    expect(second.network[0]?.rxBytesPerSec).to.equal(10_000);
    expect(second.diskIo.readBytesPerSec).to.equal(1_000);
  });

  it('should list as many top processes as the options ask for', async () => {
    const list = Array.from({ length: 10 }, (_, i) => processData({ pid: i + 1 }));
    const sut = createCollector({ now: clock.now, topProcesses: 3 }, fakeSystemSource({ processes: async () => processesData({ list }) }));
    expect((await sut.sample()).processes.top).to.have.length(3);
  });

  it('should still produce valid data from a machine that reports hostile strings and broken numbers', async () => {
    const huge = '\u001b[31m' + 'Z'.repeat(200_000);
    const source = fakeSystemSource({
      osInfo: async () => osData({ hostname: huge, distro: huge, release: huge, kernel: huge, codename: huge, arch: huge }),
      cpu: async () => cpuData({ brand: huge, manufacturer: huge, cores: Number.NaN, physicalCores: Infinity, speed: -3 }),
      mem: async () => memData({ total: Number.NaN, free: -1, available: REPORTED_NULL, swaptotal: Infinity }),
      currentLoad: async () => currentLoadData({ currentLoad: Infinity, cpus: [] }),
      loadavg: () => [Number.NaN, -1, 2],
      networkInterfaces: async () => [nicData({ iface: huge, mac: huge, ip4: huge, ip6: huge, speed: Number.NaN })],
      networkStats: async () => [nicStatsData({ iface: huge, rx_bytes: -10, tx_bytes: Number.NaN })],
      interfaceAddresses: () => ({}),
      fsSize: async () => [fsSizeData({ mount: huge, fs: huge, type: huge, size: 1e30, used: -1, available: Number.NaN, use: Number.NaN })],
      fsStats: async () => fsStatsData({ rx: Number.NaN, wx: -1 }),
      processes: async () =>
        processesData({
          all: Number.NaN,
          running: -1,
          list: [processData({ name: huge, command: huge, params: huge, user: huge, cpu: Number.NaN, mem: Infinity, memRss: 1e300 })],
        }),
      uptime: () => Number.NaN,
    });
    const sut = createCollector({ now: clock.now }, source);
    const facts = await sut.collectFacts();
    expectValid(parseWith(hostFactsSchema, facts));
    const metrics = await sut.sample();
    expectValid(parseWith(metricsSchema, metrics));
    expect(metrics.network[0]?.name).to.have.length(LIMITS.shortText);
    expect(metrics.processes.top[0]?.command).to.have.length(LIMITS.commandText);
    expect(JSON.stringify(metrics)).to.not.include('\u001b');
  });

  it('should ask the machine for every metric group at once rather than one after another', async () => {
    let started = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const base = fakeSystemSource();
    const gated =
      <T>(read: () => Promise<T>) =>
      async (): Promise<T> => {
        started += 1;
        await gate;
        return read();
      };
    const source: SystemSource = {
      ...base,
      currentLoad: gated(() => base.currentLoad()),
      mem: gated(() => base.mem()),
      battery: gated(() => base.battery()),
      networkInterfaces: gated(() => base.networkInterfaces()),
      fsSize: gated(() => base.fsSize()),
      fsStats: gated(() => base.fsStats()),
      cpuTemperature: gated(() => base.cpuTemperature()),
      processes: gated(() => base.processes()),
    };
    const sut = createCollector({ now: clock.now }, source);
    const sampling = sut.sample();
    await new Promise((resolve) => setImmediate(resolve));
    const startedBeforeAnyFinished = started;
    release();
    await sampling;
    expect(startedBeforeAnyFinished).to.equal(8);
  });

  it('should read procfs and sysfs at the roots it is given, and keep facts on the source', async () => {
    const tree = await FakeLinuxTree.create();
    try {
      await tree.writeAll({
        'proc/stat': 'cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 10 0 10 80 0 0 0 0 0 0\n',
        'proc/meminfo': 'MemTotal: 4000 kB\nMemFree: 1000 kB\nMemAvailable: 3000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n',
        'proc/uptime': '100.00 50.00\n',
        'proc/net/dev': 'Inter-|\n face |\n  eth7: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n',
        'proc/diskstats': '   8 0 sda 1 0 8 0 1 0 16 0 0 0 0\n',
        'proc/self/mounts': 'proc /proc proc rw 0 0\n',
        'proc/42/stat': '42 (worker) R 1 42 42 0 -1 0 0 0 0 0 300 100 0 0 20 0 1 0 5000 1000 256 0\n',
        'proc/42/cmdline': 'worker\0--fast\0',
      });
      const sut = createCollector({ now: clock.now }, fakeSystemSource({ interfaceAddresses: () => ({}) }), tree.roots);
      const facts = await sut.collectFacts();
      expect(facts.memoryTotalBytes, 'facts from the source').to.equal(8_000_000_000);
      const metrics = await sut.sample();
      expectValid(parseWith(metricsSchema, metrics));
      expect(metrics.memory.totalBytes).to.equal(4_096_000);
      expect(metrics.network.map((n) => [n.name, n.rxBytesTotal])).to.deep.equal([['eth7', 100]]);
      expect(metrics.cpu.usagePercent).to.equal(null);
      expect(metrics.processes).to.deep.include({ total: 1, running: 1 });
      expect(metrics.processes.top[0]).to.deep.include({ pid: 42, command: 'worker --fast', cpuPercent: 8 });
    } finally {
      await tree.cleanup();
    }
  });

  it('should read through the source, not the roots, with the portable probe set', async () => {
    const tree = await FakeLinuxTree.create();
    try {
      await tree.writeAll({ 'proc/meminfo': 'MemTotal: 4000 kB\nMemFree: 1000 kB\nMemAvailable: 3000 kB\n' });
      const sut = createCollector({ now: clock.now, probes: 'portable' }, fakeSystemSource(), tree.roots);
      const metrics = await sut.sample();
      expectValid(parseWith(metricsSchema, metrics));
      expect(metrics.memory.totalBytes, 'from the source').to.equal(memData().total);
    } finally {
      await tree.cleanup();
    }
  });

  it('should refuse the linux probe set where no /proc can be read, and fall back to the portable one on auto', async () => {
    expect(() => createCollector({ probes: 'linux' }, fakeSystemSource(), null)).to.throw(ProbeSetUnavailableError, /readable \/proc/);
    const metrics = await createCollector({ probes: 'auto' }, fakeSystemSource(), null).sample();
    expect(metrics.memory.totalBytes).to.equal(memData().total);
  });

  it('should report the OS machine id, or null where there is none', async () => {
    expect(await createCollector({}, fakeSystemSource()).machineId()).to.equal('3d1219c7c4c5404aaa1f6d2a48adfda4');
    const empty = fakeSystemSource({ uuid: async () => ({ os: '', hardware: '', macs: [] }) });
    expect(await createCollector({}, empty).machineId()).to.equal(null);
    const failing = fakeSystemSource({ uuid: () => Promise.reject(new Error('EACCES')) });
    expect(await createCollector({}, failing).machineId()).to.equal(null);
  });

  it('should report the package version as the agent version', async () => {
    const facts = await createCollector({ now: clock.now }, fakeSystemSource()).collectFacts();
    expect(facts.agentVersion).to.match(/^\d+\.\d+\.\d+/);
  });
});
