import { expect } from 'chai';
import { DEFAULT_LATEST_KIB_PER_HOST, latestBudgetBytes } from './host-limits';

describe('latestBudgetBytes', () => {
  it('should allow a fixed room per host of the host cap unless a budget is set', () => {
    expect(latestBudgetBytes({ maxHosts: 1000 })).to.equal(1000 * DEFAULT_LATEST_KIB_PER_HOST * 1024);
    expect(latestBudgetBytes({})).to.equal(20_000 * DEFAULT_LATEST_KIB_PER_HOST * 1024);
    expect(latestBudgetBytes({ maxHosts: 1000, latestMemoryMb: 3 })).to.equal(3 * 1024 * 1024);
  });
});
