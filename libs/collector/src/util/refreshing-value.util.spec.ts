import { expect } from 'chai';
import { FakeClock } from '../testing/fake-clock';
import { RefreshingValue } from './refreshing-value.util';

describe(RefreshingValue.name, () => {
  let clock: FakeClock;
  let reads: number;
  let fail: boolean;
  let sut: RefreshingValue<number>;

  beforeEach(() => {
    clock = new FakeClock();
    reads = 0;
    fail = false;
    sut = new RefreshingValue(
      async () => {
        if (fail) throw new Error('read failed');
        reads += 1;
        return reads;
      },
      60_000,
      clock.now,
    );
  });

  it('should read once and serve the same value until it is older than the maximum age', async () => {
    expect(await sut.get()).to.equal(1);
    clock.advance(59_999);
    expect(await sut.get()).to.equal(1);
    clock.advance(1);
    expect(await sut.get()).to.equal(2);
    expect(reads).to.equal(2);
  });

  it('should share one read between concurrent callers', async () => {
    const values = await Promise.all([sut.get(), sut.get(), sut.get()]);
    expect(values).to.deep.equal([1, 1, 1]);
    expect(reads).to.equal(1);
  });

  it('should keep serving the old value when a refresh fails', async () => {
    await sut.get();
    clock.advance(60_000);
    fail = true;
    expect(await sut.get()).to.equal(1);
  });

  it('should reject when the first read fails', async () => {
    fail = true;
    const error = await sut.get().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error);
  });

  it('should read again when the clock went backwards', async () => {
    await sut.get();
    clock.advance(-1000);
    expect(await sut.get()).to.equal(2);
  });
});
