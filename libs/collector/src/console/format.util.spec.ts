import { expect } from 'chai';
import { NOT_AVAILABLE, formatBytes, formatDuration, formatPercent, formatRate } from './format.util';

describe('console formatting', () => {
  it('should show bytes in binary units', () => {
    expect(formatBytes(512)).to.equal('512 B');
    expect(formatBytes(1536)).to.equal('1.5 KiB');
    expect(formatBytes(8 * 1024 ** 3)).to.equal('8.0 GiB');
  });

  it('should show a missing value as not available', () => {
    expect(formatBytes(null)).to.equal(NOT_AVAILABLE);
    expect(formatRate(null)).to.equal(NOT_AVAILABLE);
    expect(formatPercent(null)).to.equal(NOT_AVAILABLE);
    expect(formatDuration(null)).to.equal(NOT_AVAILABLE);
  });

  it('should show durations in days, hours, minutes and seconds', () => {
    expect(formatDuration(75)).to.equal('1m 15s');
    expect(formatDuration(3 * 3600 + 120)).to.equal('3h 2m');
    expect(formatDuration(2 * 86_400 + 3600 + 60)).to.equal('2d 1h 1m');
  });

  it('should show rates per second', () => {
    expect(formatRate(2048)).to.equal('2.0 KiB/s');
  });
});
