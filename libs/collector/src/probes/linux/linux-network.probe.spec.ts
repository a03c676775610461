import type { NetworkInterfaceInfo } from 'node:os';
import { expect } from 'chai';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { addressInfo } from '../../testing/system-data.fixtures';
import { INTERFACES_MAX_AGE_MS } from '../network.probe';
import { LinuxNetworkProbe, parseNetDev } from './linux-network.probe';

function netDev(counters: Record<string, [number, number]>): string {
  const header = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return header + Object.entries(counters).map(([name, [rx, tx]]) => `${name.padStart(6)}: ${rx} 10 0 0 0 0 0 0 ${tx} 10 0 0 0 0 0 0`).join('\n') + '\n';
}

describe(LinuxNetworkProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;
  let addresses: NodeJS.Dict<NetworkInterfaceInfo[]>;
  let sut: LinuxNetworkProbe;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    addresses = {
      lo: [{ ...addressInfo('127.0.0.1'), internal: true }, { ...addressInfo('::1'), internal: true }],
      eth0: [addressInfo('192.0.2.10'), addressInfo('192.0.2.11'), addressInfo('fe80::5054:ff:fe12:3456')],
    };
    await tree.writeAll({
      'proc/net/dev': netDev({ lo: [3_000, 3_000], eth0: [1_000_000, 500_000], wlan0: [0, 0] }),
      'sys/class/net/lo/operstate': 'unknown\n',
      'sys/class/net/lo/address': '00:00:00:00:00:00\n',
      'sys/class/net/lo/flags': '0x9\n',
      'sys/class/net/eth0/operstate': 'up\n',
      'sys/class/net/eth0/address': '52:54:00:12:34:56\n',
      'sys/class/net/eth0/flags': '0x1003\n',
      'sys/class/net/eth0/speed': '1000\n',
      'sys/class/net/wlan0/operstate': 'down\n',
      'sys/class/net/wlan0/address': 'a0:b1:c2:d3:e4:f5\n',
      'sys/class/net/wlan0/flags': '0x1002\n',
      'sys/class/net/wlan0/speed': '-1\n',
    });
    sut = new LinuxNetworkProbe(tree.roots, { interfaceAddresses: () => addresses }, clock.now);
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  it('should list every interface of /proc/net/dev with its state, speed, MAC, addresses and totals', async () => {
    const [lo, eth0, wlan0] = await sut.sample();
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
    expect(eth0).to.deep.include({ name: 'eth0', up: true, speedMbps: 1000, mac: '52:54:00:12:34:56', internal: false, rxBytesTotal: 1_000_000, txBytesTotal: 500_000 });
    expect(eth0?.ipv4).to.deep.equal(['192.0.2.10', '192.0.2.11']);
    expect(eth0?.ipv6).to.deep.equal(['fe80::5054:ff:fe12:3456']);
    expect(wlan0).to.deep.include({ name: 'wlan0', up: false, speedMbps: null, ipv4: [], ipv6: [] });
  });

  it('should compute bytes per second from the counters and the clock on later samples', async () => {
    await sut.sample();
    clock.advance(2_000);
    await tree.write('proc/net/dev', netDev({ lo: [3_000, 3_000], eth0: [1_004_000, 501_000], wlan0: [0, 0] }));
    const [lo, eth0] = await sut.sample();
    expect(lo?.rxBytesPerSec).to.equal(0);
    expect(eth0?.rxBytesPerSec).to.equal(2_000);
    expect(eth0?.txBytesPerSec).to.equal(500);
  });

  it('should read the link state every sample but speed and MAC at most once per maximum age', async () => {
    await sut.sample();
    await tree.writeAll({ 'sys/class/net/eth0/operstate': 'down\n', 'sys/class/net/eth0/speed': '10000\n' });
    clock.advance(INTERFACES_MAX_AGE_MS - 1);
    const [, cached] = await sut.sample();
    expect(cached?.up).to.equal(false);
    expect(cached?.speedMbps).to.equal(1000);
    clock.advance(1);
    const [, fresh] = await sut.sample();
    expect(fresh?.speedMbps).to.equal(10_000);
  });

  it('should report a speed the driver refuses to read as null and an address change at once', async () => {
    await tree.remove('sys/class/net/eth0/speed');
    await sut.sample();
    addresses = { eth0: [addressInfo('198.51.100.7')] };
    const [, eth0] = await sut.sample();
    expect(eth0?.speedMbps).to.equal(null);
    expect(eth0?.ipv4).to.deep.equal(['198.51.100.7']);
  });

  it('should show an interface that appears between samples at once, with its metadata', async () => {
    await sut.sample();
    await tree.writeAll({
      'proc/net/dev': netDev({ lo: [3_000, 3_000], eth0: [1_000_000, 500_000], wlan0: [0, 0], veth1: [10, 20] }),
      'sys/class/net/veth1/operstate': 'up\n',
      'sys/class/net/veth1/speed': '10000\n',
    });
    const interfaces = await sut.sample();
    expect(interfaces.map((n) => n.name)).to.deep.equal(['lo', 'eth0', 'wlan0', 'veth1']);
    expect(interfaces[3]).to.deep.include({ up: true, speedMbps: 10_000, rxBytesPerSec: null, rxBytesTotal: 10 });
  });

  it('should report no interfaces when /proc/net/dev cannot be read', async () => {
    await tree.remove('proc/net/dev');
    expect(await sut.sample()).to.deep.equal([]);
  });

  it('should parse names up to the first colon and skip names that would leave sysfs', () => {
    const parsed = parseNetDev('  eth0: 1 0 0 0 0 0 0 0 2 0\n  ../x: 1 0 0 0 0 0 0 0 2 0\n  bad: x 0 0 0 0 0 0 0 y\n');
    expect(parsed).to.deep.equal([
      { name: 'eth0', rx: 1, tx: 2 },
      { name: 'bad', rx: null, tx: null },
    ]);
  });
});
