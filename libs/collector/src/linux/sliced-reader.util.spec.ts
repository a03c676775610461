import { expect } from 'chai';
import { FakeLinuxTree } from '../testing/fake-linux-tree';
import { AsyncReader, SlicedSyncReader } from './sliced-reader.util';

describe('sweep readers', () => {
  let tree: FakeLinuxTree;
  let paths: string[];

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    paths = [];
    for (let i = 0; i < 7; i += 1) {
      if (i !== 3) await tree.write(`f${i}`, `text ${i} ${'x'.repeat(i * 10)}`);
      paths.push(tree.path(`f${i}`));
    }
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  const expected = (maxBytes: number) => [0, 1, 2, 3, 4, 5, 6].map((i) => (i === 3 ? null : `text ${i} ${'x'.repeat(i * 10)}`.slice(0, maxBytes)));

  it('should read every file in order, cut at the byte limit, with null for one that is missing', async () => {
    expect(await new SlicedSyncReader(3).readAll(paths, 30)).to.deep.equal(expected(30));
    expect(await new AsyncReader(2).readAll(paths, 30)).to.deep.equal(expected(30));
  });

  it('should time each file by when its read returned', async () => {
    let ticks = 0;
    const clock = (): number => (ticks += 1);
    expect(await new SlicedSyncReader(3).readAllTimed(paths, 30, clock)).to.deep.equal({ texts: expected(30), readAt: [1, 2, 3, 4, 5, 6, 7] });
    const timed = await new AsyncReader(2).readAllTimed(paths, 30, clock);
    expect(timed.texts).to.deep.equal(expected(30));
    expect([...timed.readAt].sort((a, b) => a - b)).to.deep.equal([8, 9, 10, 11, 12, 13, 14]);
  });

  it('should hand the event loop back between slices, and only between slices', async () => {
    const log: string[] = [];
    const sut = new SlicedSyncReader(3, async () => {
      log.push('yield');
    });
    await sut.readAll(paths, 100);
    expect(log).to.deep.equal(['yield', 'yield']);
  });

  it('should let a timer run while a long sweep is under way', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => paths[i % paths.length] as string);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    try {
      await new SlicedSyncReader(16).readAll(many, 64);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).to.be.greaterThan(0);
  });
});
