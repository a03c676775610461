import { LIMITS, hostFactsSchema, parseWith } from '@hostwatch/protocol';
import { expect } from 'chai';
import { FakeClock } from '../testing/fake-clock';
import { cpuData, memData, osData, REPORTED_NULL } from '../testing/system-data.fixtures';
import { HostProbe, type HostSource } from './host.probe';

describe(HostProbe.name, () => {
  let clock: FakeClock;

  function sourceWith(overrides: Partial<HostSource> = {}): HostSource {
    return {
      osInfo: async () => osData(),
      cpu: async () => cpuData(),
      mem: async () => memData(),
      uptime: () => 600,
      ...overrides,
    };
  }

  beforeEach(() => {
    clock = new FakeClock(1_764_000_600_000);
  });

  it('should report the host name, OS, CPU, memory total and boot time', async () => {
    const sut = new HostProbe(sourceWith(), clock.now, '1.2.3');
    const facts = await sut.facts();
    expect(facts).to.deep.equal({
      hostname: 'web-01',
      os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', codename: 'bookworm', kernel: '6.1.0-18-amd64', arch: 'x64' },
      cpu: { manufacturer: 'Intel', brand: 'Xeon E-2236', logicalCores: 4, physicalCores: 2, speedGHz: 3.4 },
      memoryTotalBytes: 8_000_000_000,
      bootTime: 1_764_000_000_000,
      agentVersion: '1.2.3',
    });
  });

  it('should say release 11 on Windows 11 and keep the build number as the kernel', async () => {
    const sut = new HostProbe(
      sourceWith({
        osInfo: async () => osData({ platform: 'Windows', distro: 'Microsoft Windows 11 Pro', release: '10.0.22631', kernel: '10.0.22631', codename: '' }),
      }),
      clock.now,
      '1.2.3',
    );
    const facts = await sut.facts();
    expect(facts.os.platform).to.equal('win32');
    expect(facts.os.release).to.equal('11');
    expect(facts.os.kernel).to.equal('10.0.22631');
  });

  it('should take the year of a Windows Server release from its name', async () => {
    const sut = new HostProbe(
      sourceWith({
        osInfo: async () => osData({ platform: 'Windows', distro: 'Microsoft Windows Server 2022 Datacenter', release: '10.0.20348', kernel: '10.0.20348' }),
      }),
      clock.now,
      '1.2.3',
    );
    expect((await sut.facts()).os.release).to.equal('2022');
  });

  it('should keep the reported release on Linux even when the distro name holds a number', async () => {
    const sut = new HostProbe(sourceWith({ osInfo: async () => osData({ distro: 'Windows 11 lookalike', release: '12' }) }), clock.now, '1');
    expect((await sut.facts()).os.release).to.equal('12');
  });

  it('should report an unknown CPU speed as null rather than zero', async () => {
    const sut = new HostProbe(sourceWith({ cpu: async () => cpuData({ speed: 0 }) }), clock.now, '1');
    expect((await sut.facts()).cpu.speedGHz).to.equal(null);
  });

  it('should cap hostile strings and absurd numbers so that the facts still validate', async () => {
    const huge = 'A'.repeat(100_000);
    const sut = new HostProbe(
      sourceWith({
        osInfo: async () => osData({ hostname: huge, distro: huge, release: huge, codename: huge, kernel: huge, arch: huge, platform: huge }),
        cpu: async () => cpuData({ manufacturer: huge, brand: huge, cores: 1_000_000, physicalCores: -4, speed: 1e9 }),
        mem: async () => memData({ total: Number.NaN }),
        uptime: () => REPORTED_NULL,
      }),
      clock.now,
      huge,
    );
    const facts = await sut.facts();
    const parsed = parseWith(hostFactsSchema, facts);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
    expect(facts.hostname).to.have.length(LIMITS.text);
    expect(facts.os.release).to.have.length(LIMITS.shortText);
    expect(facts.cpu.logicalCores).to.equal(LIMITS.cpuCores);
    expect(facts.cpu.physicalCores).to.equal(0);
  });

  it('should fall back to the fully qualified name when the host name is empty', async () => {
    const sut = new HostProbe(sourceWith({ osInfo: async () => osData({ hostname: '' }) }), clock.now, '1');
    expect((await sut.facts()).hostname).to.equal('web-01.example.org');
  });

  it('should report the uptime in seconds and never a negative one', () => {
    expect(new HostProbe(sourceWith(), clock.now, '1').uptimeSeconds()).to.equal(600);
    const broken = new HostProbe(sourceWith({ uptime: () => -5 }), clock.now, '1');
    expect(broken.uptimeSeconds()).to.equal(0);
  });
});
