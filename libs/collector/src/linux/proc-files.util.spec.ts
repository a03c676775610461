import { expect } from 'chai';
import { FakeLinuxTree } from '../testing/fake-linux-tree';
import { mapBounded, parseInteger, readKernelTable, readSmallFile } from './proc-files.util';

describe('procfs file reading', () => {
  let tree: FakeLinuxTree;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should read a kernel table whole, also when it outgrows the single read it usually fits', async () => {
    const big = 'line of a long table\n'.repeat(2_000);
    await tree.writeAll({ small: 'cpu 1 2 3\n', big });
    expect(await readKernelTable(tree.path('small'), 64)).to.equal('cpu 1 2 3\n');
    expect(await readKernelTable(tree.path('big'), 1024)).to.equal(big);
    expect(await readKernelTable(tree.path('missing'))).to.equal(null);
  });

  it('should cut a small file at its byte limit and report an unreadable one as null', async () => {
    await tree.write('attr', '1000\n');
    expect(await readSmallFile(tree.path('attr'), 2)).to.equal('10');
    expect(await readSmallFile(tree.path('nope'))).to.equal(null);
  });

  it('should keep at most the given number of calls pending and return results in order', async () => {
    let pending = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      pending += 1;
      most = Math.max(most, pending);
      await new Promise((resolve) => setTimeout(resolve, n));
      pending -= 1;
      return n * 10;
    });
    expect(results).to.deep.equal([50, 10, 40, 20, 30, 0]);
    expect(most).to.equal(2);
  });

  it('should read an integer attribute and refuse anything else', () => {
    expect(parseInteger('1000\n')).to.equal(1000);
    expect(parseInteger('-1\n')).to.equal(-1);
    expect(parseInteger('0x1003')).to.equal(null);
    expect(parseInteger('99999999999999999999')).to.equal(null);
    expect(parseInteger(null)).to.equal(null);
  });
});
