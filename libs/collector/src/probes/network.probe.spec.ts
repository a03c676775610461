import { LIMITS, networkInterfaceSchema, parseWith } from '@hostwatch/protocol';
import type { NetworkInterfaceInfo } from 'node:os';
import { expect } from 'chai';
import type { Systeminformation } from 'systeminformation';
import { FakeClock } from '../testing/fake-clock';
import { addressInfo, nicData, nicStatsData } from '../testing/system-data.fixtures';
import { INTERFACES_MAX_AGE_MS, NetworkProbe, type NetworkSource } from './network.probe';

/** A fake network whose interfaces and counters a test changes between samples. */
class FakeNetwork implements NetworkSource {
  nics: Systeminformation.NetworkInterfacesData[] = [
    nicData({ iface: 'lo', internal: true, operstate: 'unknown', speed: null, mac: '00:00:00:00:00:00', ip4: '127.0.0.1', ip6: '::1' }),
    nicData({ iface: 'eth0', speed: 1000 }),
  ];
  stats: Systeminformation.NetworkStatsData[] = [
    nicStatsData({ iface: 'lo', operstate: 'unknown', rx_bytes: 3_000, tx_bytes: 3_000 }),
    nicStatsData({ iface: 'eth0', operstate: 'up', rx_bytes: 1_000_000, tx_bytes: 500_000 }),
  ];
  addresses: NodeJS.Dict<NetworkInterfaceInfo[]> = {
    lo: [addressInfo('127.0.0.1'), addressInfo('::1')],
    eth0: [addressInfo('192.0.2.10'), addressInfo('192.0.2.11'), addressInfo('fe80::5054:ff:fe12:3456')],
  };
  interfaceReads = 0;
  statsAskedFor: string[] = [];

  networkInterfaces = async (): Promise<Systeminformation.NetworkInterfacesData[]> => {
    this.interfaceReads += 1;
    return this.nics.map((n) => ({ ...n }));
  };

  networkStats = async (ifaces: string): Promise<Systeminformation.NetworkStatsData[]> => {
    this.statsAskedFor.push(ifaces);
    return this.stats.map((s) => ({ ...s }));
  };

  interfaceAddresses = (): NodeJS.Dict<NetworkInterfaceInfo[]> => this.addresses;
}

describe(NetworkProbe.name, () => {
  let clock: FakeClock;
  let network: FakeNetwork;
  let sut: NetworkProbe;

  beforeEach(() => {
    clock = new FakeClock();
    network = new FakeNetwork();
    sut = new NetworkProbe(network, clock.now);
  });

  it('should list every interface with its state, speed, MAC, addresses and totals', async () => {
    const [lo, eth0] = await sut.sample();
    expect(lo).to.deep.equal({
      name: 'lo',
      up: true,
      speedMbps: null,
      mac: '00:00:00:00:00:00',
      ipv4: ['127.0.0.1'],
      ipv6: ['::1'],
      internal: true,
      rxBytesPerSec: null,
      txBytesPerSec: null,
      rxBytesTotal: 3_000,
      txBytesTotal: 3_000,
    });
    expect(eth0).to.deep.include({ name: 'eth0', up: true, speedMbps: 1000, internal: false, rxBytesTotal: 1_000_000 });
    expect(eth0?.ipv4).to.deep.equal(['192.0.2.10', '192.0.2.11']);
    expect(eth0?.ipv6).to.deep.equal(['fe80::5054:ff:fe12:3456']);
  });

  it('should report null rates on the first sample', async () => {
    const interfaces = await sut.sample();
    for (const nic of interfaces) {
      expect(nic.rxBytesPerSec, nic.name).to.equal(null);
      expect(nic.txBytesPerSec, nic.name).to.equal(null);
    }
  });

  it('should compute bytes per second from the totals and the clock on later samples', async () => {
    await sut.sample();
    clock.advance(2_000);
    network.stats = [
      nicStatsData({ iface: 'lo', operstate: 'unknown', rx_bytes: 3_000, tx_bytes: 3_000 }),
      // systeminformation's own rates are ignored: they come from its shared, module-wide state.
      nicStatsData({ iface: 'eth0', rx_bytes: 1_004_000, tx_bytes: 501_000, rx_sec: 999_999, tx_sec: 999_999 }),
    ];
    const [lo, eth0] = await sut.sample();
    expect(lo?.rxBytesPerSec).to.equal(0);
    expect(eth0?.rxBytesPerSec).to.equal(2_000);
    expect(eth0?.txBytesPerSec).to.equal(500);
  });

  it('should read interface metadata at most once a minute but the counters every sample', async () => {
    await sut.sample();
    clock.advance(INTERFACES_MAX_AGE_MS - 1);
    await sut.sample();
    expect(network.interfaceReads).to.equal(1);
    expect(network.statsAskedFor).to.deep.equal(['lo,eth0', 'lo,eth0']);
    clock.advance(1);
    await sut.sample();
    expect(network.interfaceReads).to.equal(2);
  });

  it('should show a link that went down at once, although its metadata is cached', async () => {
    await sut.sample();
    network.stats = [nicStatsData({ iface: 'lo', operstate: 'unknown' }), nicStatsData({ iface: 'eth0', operstate: 'down' })];
    const [, eth0] = await sut.sample();
    expect(eth0?.up).to.equal(false);
  });

  it('should report a link speed of -1 as null and an empty MAC as null', async () => {
    network.nics = [nicData({ iface: 'wlan0', speed: -1, mac: '' })];
    network.stats = [nicStatsData({ iface: 'wlan0' })];
    const [wlan0] = await sut.sample();
    expect(wlan0?.speedMbps).to.equal(null);
    expect(wlan0?.mac).to.equal(null);
  });

  it('should report totals as null when the counters cannot be read', async () => {
    network.networkStats = () => Promise.reject(new Error('EACCES'));
    const [lo] = await sut.sample();
    expect(lo?.rxBytesTotal).to.equal(null);
    expect(lo?.up).to.equal(true);
  });

  it('should report no interfaces, rather than fail the sample, when they cannot be listed', async () => {
    network.networkInterfaces = () => Promise.reject(new Error('EACCES'));
    expect(await sut.sample()).to.deep.equal([]);
  });

  it('should fall back to the single address systeminformation knows when Node lists none', async () => {
    network.addresses = {};
    const [, eth0] = await sut.sample();
    expect(eth0?.ipv4).to.deep.equal(['192.0.2.10']);
    expect(eth0?.ipv6).to.deep.equal(['fe80::5054:ff:fe12:3456']);
  });

  it('should count an interface in an unknown state as down when it has no address', async () => {
    network.nics = [nicData({ iface: 'tun0', operstate: 'unknown', ip4: '', ip6: '' })];
    network.stats = [nicStatsData({ iface: 'tun0', operstate: 'unknown' })];
    network.addresses = {};
    const [tun0] = await sut.sample();
    expect(tun0?.up).to.equal(false);
    expect(tun0?.ipv4).to.deep.equal([]);
  });

  it('should drop interfaces without a name and cap hostile names and lists so that each validates', async () => {
    const longName = 'x'.repeat(10_000);
    network.nics = [nicData({ iface: '' }), nicData({ iface: longName, mac: 'm'.repeat(1000), speed: Number.NaN })];
    network.stats = [];
    network.addresses = {
      [longName]: Array.from({ length: 100 }, (_, i) => addressInfo(`10.0.${Math.floor(i / 256)}.${i % 256}`)),
    };
    const interfaces = await sut.sample();
    expect(interfaces).to.have.length(1);
    const [nic] = interfaces;
    expect(nic?.name).to.have.length(LIMITS.shortText);
    expect(nic?.ipv4).to.have.length(LIMITS.addressesPerInterface);
    const parsed = parseWith(networkInterfaceSchema, nic);
    expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
  });

  it('should list no more interfaces than the protocol allows', async () => {
    network.nics = Array.from({ length: LIMITS.interfaces + 10 }, (_, i) => nicData({ iface: `veth${i}` }));
    network.stats = [];
    expect(await sut.sample()).to.have.length(LIMITS.interfaces);
  });
});
