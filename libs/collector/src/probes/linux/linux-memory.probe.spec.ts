import { expect } from 'chai';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxMemoryProbe } from './linux-memory.probe';

const MEMINFO = `MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    6000000 kB
Buffers:          100000 kB
Cached:          4000000 kB
SwapCached:            0 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

describe(LinuxMemoryProbe.name, () => {
  let tree: FakeLinuxTree;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should read total, free, available and swap from /proc/meminfo, in bytes', async () => {
    await tree.write('proc/meminfo', MEMINFO);
    expect(await new LinuxMemoryProbe(tree.roots).sample()).to.deep.equal({
      totalBytes: 8_192_000_000,
      usedBytes: 2_048_000_000,
      availableBytes: 6_144_000_000,
      freeBytes: 1_024_000_000,
      swapTotalBytes: 2_048_000_000,
      swapUsedBytes: 512_000_000,
      usedPercent: 25,
    });
  });

  it('should fall back to free memory on kernels without MemAvailable', async () => {
    await tree.write('proc/meminfo', MEMINFO.replace(/^MemAvailable:.*\n/m, ''));
    const memory = await new LinuxMemoryProbe(tree.roots).sample();
    expect(memory.availableBytes).to.equal(1_024_000_000);
    expect(memory.usedPercent).to.equal(87.5);
  });

  it('should report zeros that still validate when /proc/meminfo cannot be read', async () => {
    const memory = await new LinuxMemoryProbe(tree.roots).sample();
    expect(memory.totalBytes).to.equal(0);
    expect(memory.usedPercent).to.equal(0);
  });
});
