import { expect } from 'chai';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxBatteryProbe } from './linux-battery.probe';

describe(LinuxBatteryProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;
  let sut: LinuxBatteryProbe;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    sut = new LinuxBatteryProbe(tree.roots, clock.now);
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  function battery(name: string, fields: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries({ type: 'Battery', present: '1', ...fields }).map(([k, v]) => [`sys/class/power_supply/${name}/${k}`, `${v}\n`]));
  }

  it('should report a machine without a battery as not present, with every reading null', async () => {
    await tree.writeAll({ 'sys/class/power_supply/AC/type': 'Mains\n', 'sys/class/power_supply/AC/online': '1\n' });
    expect(await sut.sample()).to.deep.equal({ present: false, percent: null, charging: null, acConnected: null, timeRemainingMinutes: null });
  });

  it('should report charge, state, AC and the minutes left of a discharging battery', async () => {
    await tree.writeAll({
      ...battery('BAT0', { status: 'Discharging', capacity: '75', energy_now: '39000000', energy_full: '52000000', power_now: '13000000' }),
      'sys/class/power_supply/AC/type': 'Mains\n',
      'sys/class/power_supply/AC/online': '0\n',
    });
    expect(await sut.sample()).to.deep.equal({ present: true, percent: 75, charging: false, acConnected: false, timeRemainingMinutes: 180 });
  });

  it('should report a charging battery that counts charge in µAh, with no time left', async () => {
    await tree.writeAll({
      ...battery('BAT1', { status: 'Charging', charge_now: '2500000', charge_full: '5000000', current_now: '-1000000' }),
      'sys/class/power_supply/ADP1/type': 'Mains\n',
      'sys/class/power_supply/ADP1/online': '1\n',
    });
    expect(await sut.sample()).to.deep.equal({ present: true, percent: 50, charging: true, acConnected: true, timeRemainingMinutes: null });
  });

  it('should report two batteries as one by their summed energy, and ignore a wireless mouse', async () => {
    await tree.writeAll({
      ...battery('BAT0', { status: 'Discharging', energy_now: '10000000', energy_full: '20000000', power_now: '5000000' }),
      ...battery('BAT1', { status: 'Discharging', energy_now: '30000000', energy_full: '60000000', power_now: '5000000' }),
      ...battery('hidpp_battery_0', { scope: 'Device', status: 'Discharging', capacity: '5' }),
    });
    expect(await sut.sample()).to.deep.equal({ present: true, percent: 50, charging: false, acConnected: null, timeRemainingMinutes: 240 });
  });

  it('should report a battery bay without a battery as no battery', async () => {
    await tree.writeAll(battery('BAT0', { present: '0', status: 'Unknown' }));
    expect((await sut.sample()).present).to.equal(false);
  });
});
