import { expect } from 'chai';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxTemperaturesProbe, SENSORS_MAX_AGE_MS } from './linux-temperatures.probe';

describe(LinuxTemperaturesProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;
  let sut: LinuxTemperaturesProbe;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    sut = new LinuxTemperaturesProbe(tree.roots, clock.now);
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should report the package, the hottest sensor and each core of an Intel coretemp chip in core order', async () => {
    await tree.writeAll({
      'sys/class/hwmon/hwmon0/name': 'acpitz\n',
      'sys/class/hwmon/hwmon0/temp1_input': '90000\n',
      'sys/class/hwmon/hwmon2/name': 'coretemp\n',
      'sys/class/hwmon/hwmon2/temp1_label': 'Package id 0\n',
      'sys/class/hwmon/hwmon2/temp1_input': '48000\n',
      'sys/class/hwmon/hwmon2/temp2_label': 'Core 0\n',
      'sys/class/hwmon/hwmon2/temp2_input': '46000\n',
      'sys/class/hwmon/hwmon2/temp10_label': 'Core 8\n',
      'sys/class/hwmon/hwmon2/temp10_input': '52500\n',
      'sys/class/hwmon/hwmon2/temp3_label': 'Core 4\n',
      'sys/class/hwmon/hwmon2/temp3_input': '49000\n',
    });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: 48, cpuMaxC: 52.5, perCoreC: [46, 49, 52.5] });
  });

  it('should report Tdie of an AMD k10temp chip, before Tctl, and no cores', async () => {
    await tree.writeAll({
      'sys/class/hwmon/hwmon1/name': 'k10temp\n',
      'sys/class/hwmon/hwmon1/temp1_label': 'Tctl\n',
      'sys/class/hwmon/hwmon1/temp1_input': '71000\n',
      'sys/class/hwmon/hwmon1/temp2_label': 'Tdie\n',
      'sys/class/hwmon/hwmon1/temp2_input': '61000\n',
      'sys/class/hwmon/hwmon1/temp3_label': 'Tccd1\n',
      'sys/class/hwmon/hwmon1/temp3_input': '58000\n',
    });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: 61, cpuMaxC: 71, perCoreC: [] });
  });

  it('should fall back to the CPU thermal zone where no CPU hwmon chip is known', async () => {
    await tree.writeAll({
      'sys/class/thermal/thermal_zone0/type': 'acpitz\n',
      'sys/class/thermal/thermal_zone0/temp': '27800\n',
      'sys/class/thermal/thermal_zone1/type': 'x86_pkg_temp\n',
      'sys/class/thermal/thermal_zone1/temp': '55000\n',
    });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: 55, cpuMaxC: 55, perCoreC: [] });
  });

  it('should read new values every sample but look for sensors only once per maximum age', async () => {
    await tree.writeAll({ 'sys/class/hwmon/hwmon0/name': 'cpu_thermal\n', 'sys/class/hwmon/hwmon0/temp1_input': '45000\n' });
    expect((await sut.sample()).cpuMainC).to.equal(45);
    await tree.writeAll({ 'sys/class/hwmon/hwmon0/temp1_input': '47000\n', 'sys/class/hwmon/hwmon0/temp2_input': '80000\n' });
    expect(await sut.sample()).to.deep.include({ cpuMainC: 47, cpuMaxC: 47 });
    clock.advance(SENSORS_MAX_AGE_MS);
    expect((await sut.sample()).cpuMaxC).to.equal(80);
  });

  it('should report null and no cores where there are no sensors, or a sensor reads nonsense', async () => {
    expect(await sut.sample()).to.deep.equal({ cpuMainC: null, cpuMaxC: null, perCoreC: [] });
    const other = new LinuxTemperaturesProbe(tree.roots, clock.now);
    await tree.writeAll({
      'sys/class/hwmon/hwmon0/name': 'coretemp\n',
      'sys/class/hwmon/hwmon0/temp1_label': 'Package id 0\n',
      'sys/class/hwmon/hwmon0/temp1_input': '-273000\n',
      'sys/class/hwmon/hwmon0/temp2_label': 'Core 0\n',
      'sys/class/hwmon/hwmon0/temp2_input': 'garbage\n',
    });
    expect(await other.sample()).to.deep.equal({ cpuMainC: null, cpuMaxC: null, perCoreC: [] });
  });
});
