import { expect } from 'chai';
import { RateMeter } from './rate-meter.util';

describe(RateMeter.name, () => {
  it('should report null for every key on the first reading', () => {
    const sut = new RateMeter();
    const rates = sut.measure(1000, new Map([['rx', 500]]));
    expect(rates.get('rx')).to.equal(null);
  });

  it('should divide the growth of a counter by the seconds between two readings', () => {
    const sut = new RateMeter();
    sut.measure(1000, new Map([['rx', 500]]));
    const rates = sut.measure(3000, new Map([['rx', 4500]]));
    expect(rates.get('rx')).to.equal(2000);
  });

  it('should report null when a counter went backwards, then measure from the new value', () => {
    const sut = new RateMeter();
    sut.measure(1000, new Map([['rx', 5000]]));
    expect(sut.measure(2000, new Map([['rx', 100]])).get('rx')).to.equal(null);
    expect(sut.measure(3000, new Map([['rx', 1100]])).get('rx')).to.equal(1000);
  });

  it('should report null when no time passed between two readings', () => {
    const sut = new RateMeter();
    sut.measure(1000, new Map([['rx', 5000]]));
    expect(sut.measure(1000, new Map([['rx', 6000]])).get('rx')).to.equal(null);
  });

  it('should report null for an unknown counter and for a key seen for the first time', () => {
    const sut = new RateMeter();
    sut.measure(1000, new Map([['rx', 5000]]));
    const rates = sut.measure(
      2000,
      new Map<string, number | null>([
        ['rx', null],
        ['tx', 10],
      ]),
    );
    expect(rates.get('rx')).to.equal(null);
    expect(rates.get('tx')).to.equal(null);
  });
});
