import { expect } from 'chai';
import { presentSparkline as sut } from './sparkline.presenter';

describe('presentSparkline', () => {
  it('should put one sample per unit across and map 0..100 from the bottom to the top', () => {
    const view = sut([0, 50, 100], 'CPU', 60, 12);

    expect(view).to.deep.include({ hasPoints: true, width: 60, height: 12, viewBox: '0 0 2 100' });
    expect(view.points).to.equal('0,100 1,50 2,0');
  });

  it('should round each value to a whole percent', () => {
    expect(sut([12.4, 12.6, 99.5], 'CPU').points).to.equal('0,88 1,87 2,0');
  });

  it('should draw one value as a flat line', () => {
    const view = sut([25], 'CPU');

    expect(view.points).to.equal('0,75 1,75');
    expect(view.viewBox).to.equal('0 0 1 100');
  });

  it('should clamp values outside 0..100 and drop non-finite ones', () => {
    const view = sut([-5, Number.NaN, null, 150], 'Memory');

    expect(view.points).to.equal('0,100 1,0');
    expect(view.label).to.equal('Memory, last 2 samples, now 100 %');
  });

  it('should say the newest value to a tenth in its label', () => {
    expect(sut([10, 33.333], 'CPU').label).to.equal('CPU, last 2 samples, now 33.3 %');
  });

  it('should draw nothing without values', () => {
    expect(sut([], 'CPU')).to.deep.include({ hasPoints: false, points: '' });
  });

  it('should hold only digits, commas and spaces in the points', () => {
    const values = Array.from({ length: 30 }, (_, index) => (index * 37.123) % 100);

    expect(sut(values, 'CPU').points).to.match(/^[0-9, ]+$/);
  });
});
