import { expect } from 'chai';
import { describeInstant, formatDuration, formatRelative } from './time.format';
import { NOT_AVAILABLE } from './units.format';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('time.format', () => {
  describe('formatDuration', () => {
    it('should show the two largest units', () => {
      expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).to.equal('3 d 4 h');
      expect(formatDuration(4 * 3600 + 12 * 60 + 7)).to.equal('4 h 12 min');
      expect(formatDuration(12 * 60 + 5)).to.equal('12 min 5 s');
      expect(formatDuration(45.9)).to.equal('45 s');
      expect(formatDuration(0)).to.equal('0 s');
      expect(formatDuration(86400)).to.equal('1 d 0 h');
    });

    it('should say not available for null, negative and non-finite values', () => {
      for (const value of [null, undefined, -5, Number.NaN]) {
        expect(formatDuration(value), String(value)).to.equal(NOT_AVAILABLE);
      }
    });
  });

  describe('formatRelative', () => {
    const now = 1_764_000_000_000;

    it('should show an age in its largest unit', () => {
      expect(formatRelative(now - 12 * SECOND, now)).to.equal('12 s ago');
      expect(formatRelative(now - 3 * MINUTE - 20 * SECOND, now)).to.equal('3 min ago');
      expect(formatRelative(now - 2 * HOUR, now)).to.equal('2 h ago');
      expect(formatRelative(now - 4 * DAY - HOUR, now)).to.equal('4 d ago');
    });

    it('should say just now within a second', () => {
      expect(formatRelative(now - 400, now)).to.equal('just now');
      expect(formatRelative(now + 400, now)).to.equal('just now');
    });

    it('should show a time ahead of the clock as in the future', () => {
      expect(formatRelative(now + 12 * SECOND, now)).to.equal('in 12 s');
    });
  });

  describe('describeInstant', () => {
    it('should give the relative text and the absolute ISO time', () => {
      const now = Date.UTC(2025, 10, 24, 16, 0, 12);
      expect(describeInstant(Date.UTC(2025, 10, 24, 16, 0, 0), now)).to.deep.equal({
        text: '12 s ago',
        iso: '2025-11-24T16:00:00.000Z',
      });
    });

    it('should give the unknown text and no ISO time for a missing or impossible time', () => {
      expect(describeInstant(null, 0, 'never')).to.deep.equal({ text: 'never', iso: '' });
      expect(describeInstant(undefined, 0)).to.deep.equal({ text: NOT_AVAILABLE, iso: '' });
      expect(describeInstant(9e15, 0)).to.deep.equal({ text: NOT_AVAILABLE, iso: '' });
    });
  });
});
