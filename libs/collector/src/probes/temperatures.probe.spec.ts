import { expect } from 'chai';
import { noSensorsData, temperatureData } from '../testing/system-data.fixtures';
import { TemperaturesProbe } from './temperatures.probe';

describe(TemperaturesProbe.name, () => {
  it('should report the main, max and per-core CPU temperatures', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: async () => temperatureData({ main: 48, max: 52, cores: [46, 49] }) });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: 48, cpuMaxC: 52, perCoreC: [46, 49] });
  });

  it('should report null and an empty list where the machine has no sensors', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: async () => noSensorsData() });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: null, cpuMaxC: null, perCoreC: [] });
  });

  it('should treat -1 and 0 readings as absent, not as a frozen CPU', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: async () => temperatureData({ main: -1, max: 0, cores: [0, 0] }) });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: null, cpuMaxC: null, perCoreC: [] });
  });

  it('should drop an implausible reading above 300 °C', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: async () => temperatureData({ main: 6553.5 }) });
    expect((await sut.sample()).cpuMainC).to.equal(null);
  });

  it('should list no cores rather than misnumber them when one core has no reading', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: async () => temperatureData({ cores: [46, -1, 49] }) });
    expect((await sut.sample()).perCoreC).to.deep.equal([]);
  });

  it('should report no temperatures when the sensors cannot be read', async () => {
    const sut = new TemperaturesProbe({ cpuTemperature: () => Promise.reject(new Error('EACCES')) });
    expect(await sut.sample()).to.deep.equal({ cpuMainC: null, cpuMaxC: null, perCoreC: [] });
  });
});
