import { expect } from 'chai';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('should double the delay up to the maximum when there is no jitter', () => {
    const sut = new Backoff({ minMs: 1000, maxMs: 30_000, jitter: 0, random: () => 0.9 });
    const delays = Array.from({ length: 7 }, () => sut.next());
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('should stray at most the jitter share either way', () => {
    const low = new Backoff({ minMs: 1000, maxMs: 30_000, jitter: 0.5, random: () => 0 });
    const high = new Backoff({ minMs: 1000, maxMs: 30_000, jitter: 0.5, random: () => 0.999_999 });
    expect(low.next()).to.equal(500);
    expect(high.next()).to.equal(1500);
  });

  it('should start over after a reset', () => {
    const sut = new Backoff({ minMs: 100, maxMs: 1000, jitter: 0, random: () => 0 });
    sut.next();
    sut.next();
    sut.reset();
    expect(sut.next()).to.equal(100);
  });
});
