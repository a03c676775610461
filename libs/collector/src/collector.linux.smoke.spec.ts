import { execFileSync } from 'node:child_process';
import { hostFactsSchema, metricsSchema, parseWith } from '@hostwatch/protocol';
import { expect } from 'chai';
import * as si from 'systeminformation';
import { createCollector } from './collector';
import { detectLinuxRoots } from './linux/linux-roots.util';

describe('collector on this Linux machine, next to systeminformation', function () {
  before(function () {
    if (detectLinuxRoots() === null) this.skip();
  });

  it('should agree on memory, interfaces, filesystems and the number of processes', async () => {
    const sut = createCollector();
    await sut.sample();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [sample, mem, nics, disks, processes] = await Promise.all([sut.sample(), si.mem(), si.networkInterfaces(), si.fsSize(), si.processes()]);
    const parsed = parseWith(metricsSchema, sample);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);

    expect(sample.memory.totalBytes).to.equal(mem.total);
    // systeminformation lists only interfaces that carry an address; /proc/net/dev lists them all.
    const names = sample.network.map((n) => n.name);
    for (const nic of Array.isArray(nics) ? nics : [nics]) expect(names, nic.iface).to.include(nic.iface);
    for (const disk of disks.filter((d) => d.fs.startsWith('/dev/'))) {
      const mine = sample.filesystems.find((f) => f.mount === disk.mount);
      expect(mine, disk.mount).to.not.equal(undefined);
      // df reports 1 KiB blocks.
      expect(mine?.sizeBytes, disk.mount).to.be.closeTo(disk.size, 1024 * 1024);
    }
    // Processes start and end between the two listings, and ps is one of them.
    expect(sample.processes.total).to.be.closeTo(processes.all, Math.max(10, processes.all * 0.2));
  });

  it('should read the facts, the machine id and samples without loading systeminformation into its own process', async () => {
    const script = `
      const { createCollector } = require('./collector');
      (async () => {
        const sut = createCollector();
        const [facts, machineId] = await Promise.all([sut.collectFacts(), sut.machineId(), sut.sample()]);
        await sut.sample();
        const loaded = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](systeminformation|cli-table3)[\\\\/]/.test(file));
        process.stdout.write(JSON.stringify({ facts, machineId, loaded }));
      })();`;
    const out: unknown = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }));
    const { facts, machineId, loaded } = out as { facts: unknown; machineId: unknown; loaded: unknown };
    const parsed = parseWith(hostFactsSchema, facts);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
    expect(machineId).to.equal((await si.uuid()).os.trim() || null);
    expect(loaded).to.deep.equal([]);
  });
});
