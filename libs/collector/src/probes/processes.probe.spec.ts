import { LIMITS, parseWith, processMetricsSchema } from '@hostwatch/protocol';
import { expect } from 'chai';
import type { Systeminformation } from 'systeminformation';
import { processData, processesData } from '../testing/system-data.fixtures';
import { ProcessesProbe, type ProcessesSource } from './processes.probe';

describe(ProcessesProbe.name, () => {
  function sourceWith(list: Systeminformation.ProcessesProcessData[], overrides: Partial<ProcessesSource> = {}): ProcessesSource {
    return {
      processes: async () => processesData({ all: 120, running: 3, blocked: 1, list }),
      platform: 'darwin',
      logicalCores: () => 4,
      selfPid: 4242,
      ...overrides,
    };
  }

  const busy = Array.from({ length: 8 }, (_, i) => processData({ pid: 100 + i, name: `p${i}`, cpu: i }));

  it('should report the totals and the five busiest processes by default', async () => {
    const sut = new ProcessesProbe(sourceWith(busy));
    const processes = await sut.sample();
    expect(processes.total).to.equal(120);
    expect(processes.running).to.equal(3);
    expect(processes.blocked).to.equal(1);
    expect(processes.top.map((p) => p.pid)).to.deep.equal([107, 106, 105, 104, 103]);
  });

  it('should list as many processes as asked, within the protocol limit', async () => {
    expect((await new ProcessesProbe(sourceWith(busy), 2).sample()).top).to.have.length(2);
    const many = Array.from({ length: 80 }, (_, i) => processData({ pid: i + 1 }));
    expect((await new ProcessesProbe(sourceWith(many), 500).sample()).top).to.have.length(LIMITS.topProcesses);
  });

  it('should report pid, name, full command, user, CPU %, memory % and RSS in bytes', async () => {
    const sut = new ProcessesProbe(
      sourceWith([
        processData({
          pid: 812,
          name: 'node',
          command: 'node',
          params: 'server.js --port 80',
          path: '/usr/bin',
          user: 'www',
          cpu: 8.5,
          mem: 2.1,
          memRss: 175_000,
        }),
      ]),
    );
    expect((await sut.sample()).top).to.deep.equal([
      { pid: 812, name: 'node', command: '/usr/bin/node server.js --port 80', user: 'www', cpuPercent: 8.5, memPercent: 2.1, rssBytes: 179_200_000 },
    ]);
  });

  it('should put back the directory that systeminformation splits off the command, but not on Windows, where the command is the whole line', async () => {
    const bare = new ProcessesProbe(sourceWith([processData({ command: 'mariadbd', params: '', path: '' })]));
    expect((await bare.sample()).top[0]?.command).to.equal('mariadbd');
    const windows = new ProcessesProbe(
      sourceWith([processData({ command: '"C:\\Program Files\\nodejs\\node.exe" app.js', params: '', path: 'C:\\Program Files\\nodejs\\node.exe' })], {
        platform: 'win32',
      }),
    );
    expect((await windows.sample()).top[0]?.command).to.equal('"C:\\Program Files\\nodejs\\node.exe" app.js');
  });

  it('should turn a whole-machine CPU share on Linux into a share of one core', async () => {
    const sut = new ProcessesProbe(sourceWith([processData({ cpu: 50 })], { platform: 'linux', logicalCores: () => 4 }));
    expect((await sut.sample()).top[0]?.cpuPercent).to.equal(200);
  });

  it("should leave out the collector's own helper processes", async () => {
    const list = [
      processData({ pid: 4242, parentPid: 1, name: 'node', cpu: 1 }),
      processData({ pid: 5000, parentPid: 4242, name: 'sh', cpu: 30 }),
      processData({ pid: 5001, parentPid: 5000, name: 'ps', cpu: 60 }),
      processData({ pid: 700, parentPid: 1, name: 'postgres', cpu: 5 }),
    ];
    const sut = new ProcessesProbe(sourceWith(list));
    expect((await sut.sample()).top.map((p) => p.name)).to.deep.equal(['postgres', 'node']);
  });

  it('should report an empty user as null', async () => {
    const sut = new ProcessesProbe(sourceWith([processData({ user: '' })]));
    expect((await sut.sample()).top[0]?.user).to.equal(null);
  });

  it('should cap hostile names and commands and clamp figures so that the result validates', async () => {
    const sut = new ProcessesProbe(
      sourceWith([
        processData({
          name: 'n'.repeat(10_000),
          command: 'c'.repeat(10_000),
          params: 'p'.repeat(10_000),
          user: 'u'.repeat(500),
          cpu: 1e12,
          mem: 400,
          memRss: -5,
        }),
        processData({ pid: -1 }),
      ]),
    );
    const processes = await sut.sample();
    expect(processes.top).to.have.length(1);
    const [p] = processes.top;
    expect(p?.command).to.have.length(LIMITS.commandText);
    expect(p?.name).to.have.length(LIMITS.text);
    expect(p?.memPercent).to.equal(100);
    expect(p?.rssBytes).to.equal(0);
    const parsed = parseWith(processMetricsSchema, processes);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
  });
});
