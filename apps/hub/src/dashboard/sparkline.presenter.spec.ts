import { expect } from 'chai';
import { presentSparkline as sut } from './sparkline.presenter';

describe('presentSparkline', () => {
  it('should spread the values across the width and map 0..100 from the bottom to the top', () => {
    const view = sut([0, 50, 100], 'CPU', 60, 12);

    expect(view).to.deep.include({ hasPoints: true, width: 60, height: 12 });
    expect(view.points).to.equal('0,11 30,6 60,1');
  });

  it('should draw one value as a flat line', () => {
    expect(sut([25], 'CPU', 10, 10).points).to.equal('0,7 10,7');
  });

  it('should clamp values outside 0..100 and drop non-finite ones', () => {
    const view = sut([-5, Number.NaN, 150], 'Memory', 10, 10);

    expect(view.points).to.equal('0,9 10,1');
    expect(view.label).to.equal('Memory, last 2 samples, now 100 %');
  });

  it('should draw nothing without values', () => {
    expect(sut([], 'CPU')).to.deep.include({ hasPoints: false, points: '' });
  });

  it('should hold only digits, commas, dots and spaces in the points', () => {
    const values = Array.from({ length: 30 }, (_, index) => (index * 37.123) % 100);

    expect(sut(values, 'CPU').points).to.match(/^[0-9., ]+$/);
  });
});
