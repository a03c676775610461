import { expect } from 'chai';
import { memData, REPORTED_NULL } from '../testing/system-data.fixtures';
import { MemoryProbe } from './memory.probe';

describe(MemoryProbe.name, () => {
  it('should count used memory as total minus available, not minus free', async () => {
    const sut = new MemoryProbe({ mem: async () => memData({ total: 8_000, free: 1_000, available: 6_000, used: 7_000 }) });
    const memory = await sut.sample();
    expect(memory.usedBytes).to.equal(2_000);
    expect(memory.availableBytes).to.equal(6_000);
    expect(memory.freeBytes).to.equal(1_000);
    expect(memory.usedPercent).to.equal(25);
  });

  it('should report swap total and used', async () => {
    const sut = new MemoryProbe({ mem: async () => memData({ swaptotal: 2_000, swapused: 500 }) });
    const memory = await sut.sample();
    expect(memory.swapTotalBytes).to.equal(2_000);
    expect(memory.swapUsedBytes).to.equal(500);
  });

  it('should fall back to free memory when the platform does not report available memory', async () => {
    const sut = new MemoryProbe({ mem: async () => memData({ total: 8_000, free: 2_000, available: REPORTED_NULL }) });
    const memory = await sut.sample();
    expect(memory.availableBytes).to.equal(2_000);
    expect(memory.usedBytes).to.equal(6_000);
    expect(memory.usedPercent).to.equal(75);
  });

  it('should keep every figure within the total when the platform reports nonsense', async () => {
    const sut = new MemoryProbe({ mem: async () => memData({ total: 1_000, free: 5_000, available: 9_000, swaptotal: 10, swapused: 99 }) });
    const memory = await sut.sample();
    expect(memory.availableBytes).to.equal(1_000);
    expect(memory.freeBytes).to.equal(1_000);
    expect(memory.usedBytes).to.equal(0);
    expect(memory.swapUsedBytes).to.equal(10);
  });
});
