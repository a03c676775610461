import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { FakeLinuxTree } from '../testing/fake-linux-tree';
import { DEFAULT_LINUX_ROOTS, detectLinuxRoots } from './linux-roots.util';

describe(detectLinuxRoots.name, () => {
  let tree: FakeLinuxTree;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should choose procfs on a Linux machine where it can be read', async () => {
    await tree.writeAll({ 'proc/stat': 'cpu 1 2 3 4\n', 'proc/meminfo': 'MemTotal: 1 kB\n' });
    expect(detectLinuxRoots('linux', tree.roots)).to.deep.equal(tree.roots);
  });

  it('should leave other platforms, and a Linux without a readable procfs, to systeminformation', async () => {
    await tree.writeAll({ 'proc/stat': 'cpu 1 2 3 4\n', 'proc/meminfo': 'MemTotal: 1 kB\n' });
    expect(detectLinuxRoots('darwin', tree.roots)).to.equal(null);
    expect(detectLinuxRoots('win32', tree.roots)).to.equal(null);
    await tree.remove('proc');
    expect(detectLinuxRoots('linux', tree.roots)).to.equal(null);
  });

  it("should find this machine's procfs where it runs Linux", function () {
    if (process.platform !== 'linux' || !existsSync('/proc/stat')) this.skip();
    expect(detectLinuxRoots()).to.deep.equal(DEFAULT_LINUX_ROOTS);
  });
});
