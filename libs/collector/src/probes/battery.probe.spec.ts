import { expect } from 'chai';
import { batteryData, noBatteryData } from '../testing/system-data.fixtures';
import { BatteryProbe } from './battery.probe';

describe(BatteryProbe.name, () => {
  it('should report a missing battery as not present with every reading null', async () => {
    const sut = new BatteryProbe({ battery: async () => noBatteryData() });
    expect(await sut.sample()).to.deep.equal({
      present: false,
      percent: null,
      charging: null,
      acConnected: null,
      timeRemainingMinutes: null,
    });
  });

  it('should report charge, charging, AC and minutes left of a present battery', async () => {
    const sut = new BatteryProbe({ battery: async () => batteryData({ percent: 75, isCharging: false, acConnected: false, timeRemaining: 184 }) });
    expect(await sut.sample()).to.deep.equal({
      present: true,
      percent: 75,
      charging: false,
      acConnected: false,
      timeRemainingMinutes: 184,
    });
  });

  it('should report an unknown time remaining (-1) as null', async () => {
    const sut = new BatteryProbe({ battery: async () => batteryData({ isCharging: true, acConnected: true, timeRemaining: -1 }) });
    const battery = await sut.sample();
    expect(battery.timeRemainingMinutes).to.equal(null);
    expect(battery.charging).to.equal(true);
  });

  it('should report no battery when the platform cannot be asked', async () => {
    const sut = new BatteryProbe({ battery: () => Promise.reject(new Error('no upower')) });
    expect((await sut.sample()).present).to.equal(false);
  });
});
