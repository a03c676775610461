import { expect } from 'chai';
import {
  NOT_AVAILABLE,
  formatBytes,
  formatCelsius,
  formatCount,
  formatGHz,
  formatLoad,
  formatPercent,
  formatRate,
  formatSpeedMbps,
  formatText,
  formatUpDown,
  formatYesNo,
} from './units.format';

describe('units.format', () => {
  describe('formatBytes', () => {
    it('should show small sizes in whole bytes', () => {
      expect(formatBytes(0)).to.equal('0 B');
      expect(formatBytes(1023)).to.equal('1023 B');
    });

    it('should scale through KiB, MiB, GiB and TiB with one decimal', () => {
      expect(formatBytes(1024)).to.equal('1.0 KiB');
      expect(formatBytes(1536)).to.equal('1.5 KiB');
      expect(formatBytes(5 * 1024 ** 2)).to.equal('5.0 MiB');
      expect(formatBytes(8_589_934_592)).to.equal('8.0 GiB');
      expect(formatBytes(2.25 * 1024 ** 4)).to.equal('2.3 TiB');
    });

    it('should move to the next unit rather than show 1024.0 of the smaller one', () => {
      expect(formatBytes(1024 ** 2 - 1)).to.equal('1.0 MiB');
    });

    it('should say not available for null, missing, negative and non-finite values', () => {
      for (const value of [null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(formatBytes(value), String(value)).to.equal(NOT_AVAILABLE);
      }
    });
  });

  describe('formatRate', () => {
    it('should show a byte rate per second', () => {
      expect(formatRate(2048)).to.equal('2.0 KiB/s');
      expect(formatRate(120)).to.equal('120 B/s');
    });

    it('should say not available for a rate not yet known', () => {
      expect(formatRate(null)).to.equal(NOT_AVAILABLE);
    });
  });

  describe('formatPercent', () => {
    it('should show one decimal', () => {
      expect(formatPercent(12.5)).to.equal('12.5%');
      expect(formatPercent(25)).to.equal('25.0%');
      expect(formatPercent(99.96)).to.equal('100.0%');
      expect(formatPercent(0)).to.equal('0.0%');
    });

    it('should say not available for null', () => {
      expect(formatPercent(null)).to.equal(NOT_AVAILABLE);
    });
  });

  describe('formatSpeedMbps', () => {
    it('should show link speed in Mbit/s without needless decimals', () => {
      expect(formatSpeedMbps(1000)).to.equal('1000 Mbit/s');
      expect(formatSpeedMbps(54.5)).to.equal('54.5 Mbit/s');
      expect(formatSpeedMbps(0)).to.equal('0 Mbit/s');
    });

    it('should say not available when the link reports no speed', () => {
      expect(formatSpeedMbps(null)).to.equal(NOT_AVAILABLE);
    });
  });

  it('should show clock speed, temperature, load and counts', () => {
    expect(formatGHz(3.4)).to.equal('3.4 GHz');
    expect(formatGHz(null)).to.equal(NOT_AVAILABLE);
    expect(formatCelsius(45)).to.equal('45.0 °C');
    expect(formatCelsius(null)).to.equal(NOT_AVAILABLE);
    expect(formatLoad({ one: 0.42, five: 0.3, fifteen: 0.25 })).to.equal('0.42 / 0.30 / 0.25');
    expect(formatLoad(null)).to.equal(NOT_AVAILABLE);
    expect(formatCount(67)).to.equal('67');
    expect(formatCount(undefined)).to.equal(NOT_AVAILABLE);
  });

  it('should show booleans as up/down and yes/no, and an unknown one as not available', () => {
    expect(formatUpDown(true)).to.equal('up');
    expect(formatUpDown(false)).to.equal('down');
    expect(formatYesNo(true)).to.equal('yes');
    expect(formatYesNo(false)).to.equal('no');
    expect(formatYesNo(null)).to.equal(NOT_AVAILABLE);
  });

  it('should show blank or missing text as not available and other text unchanged', () => {
    expect(formatText('')).to.equal(NOT_AVAILABLE);
    expect(formatText('  ')).to.equal(NOT_AVAILABLE);
    expect(formatText(null)).to.equal(NOT_AVAILABLE);
    expect(formatText('<b>x</b>')).to.equal('<b>x</b>');
  });
});
