import { expect } from 'chai';
import { SnapshotBuffer } from './snapshot-buffer';

describe('SnapshotBuffer', () => {
  it('should hand entries out oldest first', () => {
    const sut = new SnapshotBuffer<number>(3);
    sut.push(1);
    sut.push(2);
    expect(sut.peek()).to.equal(1);
    expect(sut.toArray()).to.deep.equal([1, 2]);
  });

  it('should drop the oldest entry when full and say how many it dropped', () => {
    const sut = new SnapshotBuffer<number>(2);
    expect(sut.push(1)).to.equal(0);
    expect(sut.push(2)).to.equal(0);
    expect(sut.push(3)).to.equal(1);
    expect(sut.toArray()).to.deep.equal([2, 3]);
    expect(sut.size).to.equal(2);
  });

  it('should remove the exact entry it is given, wherever it is', () => {
    const first = { seq: 1 };
    const second = { seq: 2 };
    const sut = new SnapshotBuffer<{ seq: number }>(5);
    sut.push(first);
    sut.push(second);
    expect(sut.remove(second)).to.equal(true);
    expect(sut.toArray()).to.deep.equal([first]);
  });

  it('should report an entry that was already dropped as not removed', () => {
    const first = { seq: 1 };
    const sut = new SnapshotBuffer<{ seq: number }>(1);
    sut.push(first);
    sut.push({ seq: 2 });
    expect(sut.remove(first)).to.equal(false);
    expect(sut.size).to.equal(1);
  });

  it('should find the oldest entry that matches', () => {
    const sut = new SnapshotBuffer<number>(5);
    for (const item of [1, 2, 3, 4]) sut.push(item);
    expect(sut.find((item) => item > 2)).to.equal(3);
    expect(sut.find((item) => item > 4)).to.equal(undefined);
  });

  it('should refuse a capacity below one', () => {
    expect(() => new SnapshotBuffer<number>(0)).to.throw(RangeError);
  });
});
