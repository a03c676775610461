import { readFileSync } from 'node:fs';
import { LIMITS, parseWith, processMetricsSchema } from '@hostwatch/protocol';
import { expect } from 'chai';
import { DEFAULT_LINUX_ROOTS } from '../../linux/linux-roots.util';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LateSweepReader } from '../../testing/late-sweep-reader';
import { LinuxProcessesProbe, parsePidStat } from './linux-processes.probe';

interface FakeProcess {
  pid: number;
  comm: string;
  state?: string;
  /** utime + stime, split evenly, in ticks of 10 ms. */
  ticks: number;
  /** Start in ticks since boot. */
  start: number;
  rssPages?: number;
  cmdline?: string[];
}

function statLine(p: FakeProcess): string {
  const utime = Math.ceil(p.ticks / 2);
  const stime = p.ticks - utime;
  return `${p.pid} (${p.comm}) ${p.state ?? 'S'} 1 ${p.pid} ${p.pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 ${p.start} 1000000 ${p.rssPages ?? 0} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;
}

const uid = process.getuid?.() ?? 0;

describe(LinuxProcessesProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    await tree.writeAll({
      'proc/meminfo': 'MemTotal:        1000000 kB\nMemFree:  500000 kB\n',
      // The first entry of a uid names it, so www names this test's own uid even when that is root's 0.
      'etc/passwd': `# a comment\nwww:x:${uid}:${uid}::/var/www:/usr/sbin/nologin\nroot:x:0:0:root:/root:/bin/bash\n`,
    });
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  async function machine(uptimeSeconds: number, processes: FakeProcess[]): Promise<void> {
    await tree.remove('proc');
    await tree.writeAll({ 'proc/meminfo': 'MemTotal:        1000000 kB\n', 'proc/uptime': `${uptimeSeconds.toFixed(2)} 150.00\n` });
    for (const p of processes) {
      await tree.write(`proc/${p.pid}/stat`, statLine(p));
      await tree.write(`proc/${p.pid}/cmdline`, p.cmdline === undefined ? '' : p.cmdline.join('\0') + '\0');
    }
  }

  function cpuByPid(top: ReadonlyArray<{ pid: number; cpuPercent: number }>): Record<number, number> {
    return Object.fromEntries(top.map((p) => [p.pid, Math.round(p.cpuPercent * 1000) / 1000]));
  }

  it('should give each process its lifetime average on the first sample, as ps does', async () => {
    // pid 100 ran 50 s of its 100 s; pid 200 8 s of its 10 s.
    await machine(110, [
      { pid: 100, comm: 'postgres', ticks: 5_000, start: 1_000 },
      { pid: 200, comm: 'node', ticks: 800, start: 10_000 },
    ]);
    const sut = new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now);
    expect(cpuByPid((await sut.sample()).top)).to.deep.equal({ 100: 50, 200: 80 });
  });

  it('should measure later samples over the interval, counting a new process from its start and a reused pid as new', async () => {
    const sut = new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now);
    await machine(110, [
      { pid: 100, comm: 'postgres', ticks: 5_000, start: 1_000 },
      { pid: 200, comm: 'node', ticks: 800, start: 10_000 },
      { pid: 400, comm: 'old', ticks: 90_000, start: 500 },
    ]);
    await sut.sample();
    clock.advance(2_000);
    await machine(112, [
      // 1 s of CPU in 2 s.
      { pid: 100, comm: 'postgres', ticks: 5_100, start: 1_000 },
      // 3 s in 2 s: a multi-threaded process exceeds one core.
      { pid: 200, comm: 'node', ticks: 1_100, start: 10_000 },
      // Started at 111 s, after the previous sample: 0.5 s in the 2 s interval.
      { pid: 300, comm: 'make', ticks: 50, start: 11_100 },
      // Pid 400 ended and a new process got the pid at 110.5 s: 0.2 s, not a negative delta.
      { pid: 400, comm: 'new', ticks: 20, start: 11_050 },
    ]);
    expect(cpuByPid((await sut.sample()).top)).to.deep.equal({ 200: 150, 100: 50, 300: 25, 400: 10 });
  });

  it('should measure a process over the time from one read of its stat to the next, however late the sweep starts', async () => {
    // The sweep of the second sample starts 500 ms after /proc/uptime was read (a busy machine, other probes).
    const late = new LateSweepReader(clock);
    const sut = new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now, 5, late);
    await machine(110, [{ pid: 100, comm: 'busy', ticks: 5_000, start: 1_000 }]);
    await sut.sample();
    clock.advance(1_000);
    late.holdNextRead(500);
    // One core busy the whole time: 150 ticks in the 1.5 s between the two reads of its stat.
    await machine(111, [{ pid: 100, comm: 'busy', ticks: 5_150, start: 1_000 }]);
    expect(cpuByPid((await sut.sample()).top)).to.deep.equal({ 100: 100 });
  });

  it("should report this process's CPU on this machine within what its kernel tick counters around each sample bound", async function () {
    let ticks: () => number;
    try {
      ticks = () => parsePidStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))?.cpuTicks ?? Number.NaN;
      ticks();
    } catch {
      this.skip();
    }
    // procfs counts in USER_HZ, 100 on every Linux architecture Node runs on.
    const hz = 100;
    const probe = new LinuxProcessesProbe(DEFAULT_LINUX_ROOTS, { logicalCores: () => 1 }, () => performance.now(), LIMITS.topProcesses);
    const t0 = performance.now();
    const before1 = ticks();
    await probe.sample();
    const after1 = ticks();
    const t1 = performance.now();
    // Busy for 300 ms, so that this process ranks among the busiest.
    let spins = 0;
    for (const end = Date.now() + 300; Date.now() < end;) spins += 1;
    expect(spins).to.be.greaterThan(0);
    const t2 = performance.now();
    const before2 = ticks();
    const { top } = await probe.sample();
    const after2 = ticks();
    const t3 = performance.now();
    const self = top.find((p) => p.pid === process.pid);
    expect(self, 'this busy process is listed').to.not.equal(undefined);
    const low = ((before2 - after1) / hz / ((t3 - t0) / 1000)) * 100;
    const high = ((after2 - before1) / hz / ((t2 - t1) / 1000)) * 100;
    expect(self?.cpuPercent).to.be.within(low, high);
  });

  it('should count all, running and blocked processes, skipping one whose stat cannot be read', async () => {
    await machine(100, [
      { pid: 1, comm: 'init', ticks: 0, start: 1, state: 'S' },
      { pid: 2, comm: 'a', ticks: 0, start: 1, state: 'R' },
      { pid: 3, comm: 'b', ticks: 0, start: 1, state: 'R' },
      { pid: 4, comm: 'c', ticks: 0, start: 1, state: 'D' },
      { pid: 5, comm: 'd', ticks: 0, start: 1, state: 'Z' },
      { pid: 6, comm: 'e', ticks: 0, start: 1, state: 'I' },
    ]);
    await tree.write('proc/7/cmdline', '');
    const processes = await new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now).sample();
    expect(processes).to.deep.include({ total: 6, running: 2, blocked: 1 });
  });

  it('should list the busiest processes with name, command line, user, memory share and resident bytes', async () => {
    await machine(100, [
      { pid: 10, comm: 'my (odd) name', ticks: 500, start: 0, rssPages: 25_000, cmdline: ['/usr/bin/odd', '--flag', 'value with space'] },
      { pid: 11, comm: 'kworker/0:1', ticks: 100, start: 0 },
      { pid: 12, comm: 'idle', ticks: 0, start: 0, rssPages: 10 },
    ]);
    const processes = await new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now, 2).sample();
    expect(processes.top).to.deep.equal([
      { pid: 10, name: 'my (odd) name', command: '/usr/bin/odd --flag value with space', user: 'www', cpuPercent: 5, memPercent: 10, rssBytes: 102_400_000 },
      { pid: 11, name: 'kworker/0:1', command: '[kworker/0:1]', user: 'www', cpuPercent: 1, memPercent: 0, rssBytes: 0 },
    ]);
    const parsed = parseWith(processMetricsSchema, processes);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
  });

  it('should name a user that /etc/passwd does not know by number, as ps does', async () => {
    await tree.write('etc/passwd', 'root:x:999999:0::/:/bin/sh\n');
    await machine(100, [{ pid: 10, comm: 'x', ticks: 1, start: 0 }]);
    const [p] = (await new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now).sample()).top;
    expect(p?.user).to.equal(String(uid));
  });

  it('should list no more processes than the protocol allows', async () => {
    await machine(
      100,
      Array.from({ length: LIMITS.topProcesses + 5 }, (_, i) => ({ pid: i + 1, comm: `p${i}`, ticks: i, start: 0 })),
    );
    const processes = await new LinuxProcessesProbe(tree.roots, { logicalCores: () => 4 }, clock.now, 500).sample();
    expect(processes.total).to.equal(LIMITS.topProcesses + 5);
    expect(processes.top).to.have.length(LIMITS.topProcesses);
  });

  it('should read the fields of a stat line from after the last parenthesis of the name', () => {
    expect(parsePidStat(statLine({ pid: 7, comm: ') S 1 2 (', ticks: 11, start: 42, rssPages: 3, state: 'R' }))).to.deep.equal({
      pid: 7,
      comm: ') S 1 2 (',
      state: 'R',
      cpuTicks: 11,
      startTicks: 42,
      rssPages: 3,
    });
    expect(parsePidStat('garbage')).to.equal(null);
  });
});
