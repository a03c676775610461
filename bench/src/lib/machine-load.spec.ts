import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { expect } from 'chai';
import { busyPercent, LOADED_OTHER_PERCENT, LoadRecorder, loadState, parseMachineCpu } from './machine-load';
import { treeCpuUsec } from './proc';

/** Prints 'ready', burns 500 ms of its own CPU on 'go', prints what it used, and idles until it is stopped. */
const BURNER = `
const used = () => { const u = process.cpuUsage(); return u.user + u.system; };
process.stdin.once('data', () => {
  const from = used();
  while (used() - from < 500000) {}
  process.stdout.write('done ' + (used() - from) + '\\n');
  setInterval(() => {}, 1e9);
});
process.stdout.write('ready\\n');
`;

function nextLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) {
        child.stdout!.off('data', onData);
        resolve(text.trim());
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error('the burner exited early')));
  });
}

describe('machine load', () => {
  it('should read busy time from /proc/stat as everything but idle and iowait, guest time once', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice, in ticks of 10 ms
    const from = parseMachineCpu('cpu  100 0 50 800 50 0 0 0 40 0\ncpu0 1 2 3 4\n');
    const to = parseMachineCpu('cpu  200 10 70 1100 60 5 5 10 90 0\ncpu0 1 2 3 4\n');
    expect(from).to.deep.equal({ busyUsec: 1_500_000, totalUsec: 10_000_000 });
    // 150 busy ticks of 460 in the window.
    expect(busyPercent(from, to)).to.be.closeTo((150 / 460) * 100, 1e-9);
    expect(() => parseMachineCpu('intr 1 2 3')).to.throw(/no aggregate cpu line/);
  });

  it('should call a window loaded from a quarter of the cores of other work, and one it could not measure loaded too', () => {
    expect(LOADED_OTHER_PERCENT).to.equal(25);
    expect([3, 24.9, 25, 80, Number.NaN].map(loadState)).to.deep.equal(['quiet', 'quiet', 'loaded', 'loaded', 'loaded']);
  });

  describe('LoadRecorder', () => {
    let burner: ChildProcess;

    afterEach(() => {
      burner?.kill('SIGKILL');
    });

    it("should see a process that burns known CPU as busy time and as a top other process, unless it is the benchmark's", async () => {
      burner = spawn(process.execPath, ['-e', BURNER], { stdio: ['pipe', 'pipe', 'ignore'] });
      expect(await nextLine(burner)).to.equal('ready');
      const pid = burner.pid!;
      const burnerCpu0 = treeCpuUsec([pid]);
      const outside = new LoadRecorder({ benchCpuUsec: () => 0, benchPids: () => [] });
      const sut = new LoadRecorder({ benchCpuUsec: () => treeCpuUsec([pid]), benchPids: () => [pid] });
      const done = nextLine(burner);
      burner.stdin!.write('go\n');
      const burnedUsec = Number((await done).split(' ')[1]);
      const seen = outside.stop();
      const record = sut.stop();
      const burnerCpu = treeCpuUsec([pid]) - burnerCpu0;

      expect(burnedUsec).to.be.at.least(500_000);
      const cores = os.cpus().length;
      // The machine was at least as busy as the burner alone.
      const burnerShare = (burnerCpu / 1000 / seen.spanMs / cores) * 100;
      expect(seen.machineBusyPercent).to.be.at.least(burnerShare - 3);
      const top = seen.topOthers.find((p) => p.pid === pid);
      expect(top, JSON.stringify(seen.topOthers)).to.not.equal(undefined);
      expect(top!.comm).to.equal('node');
      expect(top!.cpuPercent).to.be.closeTo((burnedUsec / 1000 / seen.spanMs) * 100, 4);
      // Counted as the benchmark's own, it is neither other work nor a top other process.
      expect(record.topOthers.map((p) => p.pid)).to.not.include(pid);
      expect(record.otherBusyPercent).to.be.closeTo(Math.max(0, record.machineBusyPercent - burnerShare), 3);
      expect(record.cores).to.equal(cores);
      expect(record.loadAverageEnd).to.have.length(3);
      expect(record.processes).to.be.greaterThan(1);
    });
  });
});
