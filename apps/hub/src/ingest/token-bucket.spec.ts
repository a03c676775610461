import { expect } from 'chai';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  let now: number;
  let sut: TokenBucket;

  beforeEach(() => {
    now = 1_000_000;
    sut = new TokenBucket(10, 5, () => now);
  });

  function takeAll(): number {
    let taken = 0;
    while (sut.take()) taken += 1;
    return taken;
  }

  it('should allow a burst of its size at once and refuse the next take', () => {
    expect(takeAll()).to.equal(5);
    expect(sut.take()).to.equal(false);
  });

  it('should refill at its rate', () => {
    takeAll();
    now += 300;
    expect(takeAll()).to.equal(3);
  });

  it('should never hold more than its burst however long it idles', () => {
    takeAll();
    now += 60_000;
    expect(takeAll()).to.equal(5);
  });

  it('should neither refill nor drain when the clock goes back', () => {
    sut.take();
    now -= 10_000;
    expect(takeAll()).to.equal(4);
  });
});
