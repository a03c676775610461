import { expect } from 'chai';
import { capText, capTextOrNull, percentOrNull, positiveOrNull, wholeOrNull } from './sanitize.util';

describe('sanitize', () => {
  describe('capText', () => {
    it('should cut a string longer than the limit to the limit', () => {
      expect(capText('x'.repeat(5000), 64)).to.equal('x'.repeat(64));
    });

    it('should replace control characters so that no terminal escape gets through', () => {
      expect(capText('evil\u001b[2Jname\nnext\u0007', 64)).to.equal('evil [2Jname next');
    });

    it('should not split a surrogate pair at the cut', () => {
      const sut = capText('ab😀', 3);
      expect(sut).to.equal('ab');
    });

    it('should turn a non-string into an empty string', () => {
      expect(capText(null, 10)).to.equal('');
      expect(capText(42, 10)).to.equal('');
    });

    it('should report an empty string as null where the value may be absent', () => {
      expect(capTextOrNull('  ', 10)).to.equal(null);
      expect(capTextOrNull('root', 10)).to.equal('root');
    });
  });

  describe('numbers', () => {
    it('should treat null, NaN, -1 and 0 as absent where only positive readings are real', () => {
      for (const value of [null, undefined, Number.NaN, -1, 0, Infinity]) expect(positiveOrNull(value)).to.equal(null);
      expect(positiveOrNull(42.5)).to.equal(42.5);
    });

    it('should clamp percentages into 0..100 and reject non-numbers', () => {
      expect(percentOrNull(140)).to.equal(100);
      expect(percentOrNull(-3)).to.equal(0);
      expect(percentOrNull(Number.NaN)).to.equal(null);
    });

    it('should round byte counts to whole numbers and refuse negative ones', () => {
      expect(wholeOrNull(10.6)).to.equal(11);
      expect(wholeOrNull(-1)).to.equal(null);
      expect(wholeOrNull(2 ** 60)).to.equal(Number.MAX_SAFE_INTEGER);
    });
  });
});
