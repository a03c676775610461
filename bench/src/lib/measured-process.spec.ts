import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { Cleanup, sleep } from './cleanup';
import { cgroupMounts, CgroupRoot, spawnMeasured } from './measured-process';

/**
 * Burns `ms` of its own CPU; then, if `childMs` > 0, runs itself as a child
 * that burns `childMs` and exits (waited for); then writes what it used by
 * its own clock (getrusage: start-up included) to `report` and, as the top
 * process, idles until it is stopped. The child writes to `report`.child.
 */
const BURNER = `
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const [ms, childMs, report] = process.argv.slice(2);
while (used() < Number(ms)) {}
if (Number(childMs) > 0) execFileSync(process.execPath, [__filename, childMs, '0', report + '.child'], { stdio: 'ignore' });
fs.writeFileSync(report, String(used()));
if (Number(childMs) > 0) setInterval(() => {}, 1e9);
`;

/** The CPU a file's writer reported, once it is there. */
async function reported(file: string, timeoutMs = 15_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} was not written within ${timeoutMs} ms`);
    await sleep(20);
  }
  await sleep(20);
  return Number(fs.readFileSync(file, 'utf8'));
}

describe('spawnMeasured', () => {
  let dir: string;
  let cleanup: Cleanup;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-measured-'));
    cleanup = new Cleanup();
  });

  afterEach(async () => {
    await cleanup.runAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Both processes' own CPU against the meter's reading, while the top one still lives. */
  async function measureBurner(cgroups: CgroupRoot): Promise<{ meter: string; measuredMs: number; ownMs: number }> {
    const script = path.join(dir, 'burner.js');
    fs.writeFileSync(script, BURNER);
    const report = path.join(dir, 'report');
    const sut = spawnMeasured(process.execPath, [script, '400', '300', report], { name: 'burner' }, cgroups, cleanup);
    const ownMs = (await reported(report)) + (await reported(`${report}.child`));
    return { meter: sut.meter, measuredMs: sut.cpuUsec() / 1000, ownMs };
  }

  it('should count a process and the child it waited for through its cgroup', async function () {
    const cgroups = new CgroupRoot(cleanup);
    if (!cgroups.dir) this.skip();
    const { meter, measuredMs, ownMs } = await measureBurner(cgroups);
    expect(meter).to.equal('cgroup');
    expect(ownMs).to.be.greaterThan(700);
    // The meter also sees the shell before exec and each process's exit, a few ms.
    expect(measuredMs).to.be.within(ownMs - 5, ownMs + 50);
  });

  it('should count a process and the child it waited for through the /proc tree', async () => {
    const cgroups = new CgroupRoot(cleanup, false);
    expect(cgroups.dir).to.equal(null);
    expect(cgroups.describe()).to.match(/^sum over the \/proc process tree/);
    const { meter, measuredMs, ownMs } = await measureBurner(cgroups);
    expect(meter).to.equal('proc-tree');
    // /proc counts in 10 ms ticks, four fields each rounded down.
    expect(measuredMs).to.be.within(ownMs - 45, ownMs + 50);
  });

  it('should find the cgroup v2 mount in a hybrid layout', () => {
    const hybrid = ['tmpfs /sys/fs/cgroup tmpfs rw 0 0', 'cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0', 'cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0'].join(
      '\n',
    );
    expect(cgroupMounts(hybrid)).to.deep.equal({ layout: 'hybrid', v2: '/sys/fs/cgroup/unified' });
    expect(cgroupMounts('cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n')).to.deep.equal({ layout: 'unified', v2: '/sys/fs/cgroup' });
    expect(cgroupMounts('cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n')).to.deep.equal({ layout: 'legacy', v2: null });
  });
});
