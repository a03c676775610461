import { readFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { networkInterfaces } from 'node:os';
import { expect } from 'chai';
import { DEFAULT_LINUX_ROOTS } from '../../linux/linux-roots.util';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LateSweepReader } from '../../testing/late-sweep-reader';
import { addressInfo } from '../../testing/system-data.fixtures';
import { INTERFACES_MAX_AGE_MS } from '../network.probe';
import { LinuxNetworkProbe, parseNetDev } from './linux-network.probe';

function netDev(counters: Record<string, [number, number]>): string {
  const header =
    'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return (
    header +
    Object.entries(counters)
      .map(([name, [rx, tx]]) => `${name.padStart(6)}: ${rx} 10 0 0 0 0 0 0 ${tx} 10 0 0 0 0 0 0`)
      .join('\n') +
    '\n'
  );
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
      lo: [
        { ...addressInfo('127.0.0.1'), internal: true },
        { ...addressInfo('::1'), internal: true },
      ],
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
    expect(eth0).to.deep.include({
      name: 'eth0',
      up: true,
      speedMbps: 1000,
      mac: '52:54:00:12:34:56',
      internal: false,
      rxBytesTotal: 1_000_000,
      txBytesTotal: 500_000,
    });
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

  it('should time a rate by the reads of the counters, not by when the rest of the sample finished', async () => {
    // Whatever runs after the counters are read (sysfs reads, other probes on a busy machine) takes 400 ms of the first sample.
    const late = new LateSweepReader(clock);
    late.holdNextRead(400);
    sut = new LinuxNetworkProbe(tree.roots, { interfaceAddresses: () => addresses }, clock.now, INTERFACES_MAX_AGE_MS, late);
    await sut.sample();
    // 1 s from the end of the first sample, 1.4 s from read to read.
    clock.advance(1_000);
    await tree.write('proc/net/dev', netDev({ lo: [3_000, 3_000], eth0: [1_014_000, 500_000], wlan0: [0, 0] }));
    const [, eth0] = await sut.sample();
    expect(eth0?.rxBytesPerSec).to.equal(10_000);
  });

  it('should count a link without carrier tracking (state unknown, like loopback) as up exactly when it is administratively up', async () => {
    await tree.writeAll({
      'sys/class/net/tun0/operstate': 'unknown\n',
      'sys/class/net/tun0/flags': '0x1091\n',
      'proc/net/dev': netDev({ lo: [1, 1], tun0: [0, 0] }),
    });
    // Neither carries an address here: the kernel's flags decide, not the addresses.
    addresses = {};
    expect((await sut.sample()).map((n) => [n.name, n.up])).to.deep.equal([
      ['lo', true],
      ['tun0', true],
    ]);
    // `ip link set lo down` clears IFF_UP; the state stays unknown and the addresses stay assigned.
    await tree.write('sys/class/net/lo/flags', '0x8\n');
    addresses = { lo: [{ ...addressInfo('127.0.0.1'), internal: true }] };
    expect((await sut.sample()).map((n) => [n.name, n.up])).to.deep.equal([
      ['lo', false],
      ['tun0', true],
    ]);
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

  describe('on this machine', () => {
    before(function () {
      if (readNetDevTotals() === null) this.skip();
    });

    function readNetDevTotals(): Map<string, number> | null {
      try {
        return new Map(parseNetDev(readFileSync('/proc/net/dev', 'utf8')).map((c) => [c.name, c.rx ?? Number.NaN]));
      } catch {
        return null;
      }
    }

    function sysfs(name: string, attribute: string): string {
      return readFileSync(`/sys/class/net/${name}/${attribute}`, 'utf8').trim();
    }

    it('should report totals and a loopback rate that the kernel counters bracket, read just before and after each sample', async () => {
      const probe = new LinuxNetworkProbe(DEFAULT_LINUX_ROOTS, { interfaceAddresses: () => networkInterfaces() }, () => performance.now());
      const server = createServer((socket) => socket.resume());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const t0 = performance.now();
        const before1 = readNetDevTotals()?.get('lo') ?? Number.NaN;
        const first = (await probe.sample()).find((n) => n.name === 'lo');
        const after1 = readNetDevTotals()?.get('lo') ?? Number.NaN;
        const t1 = performance.now();
        // A known 8 MiB over loopback between the samples.
        const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
        await new Promise<void>((resolve) => client.end(Buffer.alloc(8 * 1024 * 1024), resolve));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const t2 = performance.now();
        const before2 = readNetDevTotals()?.get('lo') ?? Number.NaN;
        const second = (await probe.sample()).find((n) => n.name === 'lo');
        const after2 = readNetDevTotals()?.get('lo') ?? Number.NaN;
        const t3 = performance.now();
        client.destroy();

        expect(first?.rxBytesTotal).to.be.within(before1, after1);
        expect(second?.rxBytesTotal).to.be.within(before2, after2);
        expect((second?.rxBytesTotal ?? 0) - (first?.rxBytesTotal ?? 0)).to.be.at.least(8 * 1024 * 1024);
        // Bytes counted between the two reads, over the time between them, each bounded by the readings around them.
        expect(second?.rxBytesPerSec).to.be.within((before2 - after1) / ((t3 - t0) / 1000), (after2 - before1) / ((t2 - t1) / 1000));
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('should report each link up as its kernel state and flags say at that instant', async () => {
      const probe = new LinuxNetworkProbe(DEFAULT_LINUX_ROOTS, { interfaceAddresses: () => networkInterfaces() }, () => performance.now());
      const links = await probe.sample();
      expect(links.map((n) => n.name)).to.include('lo');
      for (const link of links) {
        const state = sysfs(link.name, 'operstate');
        const adminUp = (Number.parseInt(sysfs(link.name, 'flags'), 16) & 0x1) !== 0;
        expect(link.up, `${link.name}: ${state}`).to.equal(state === 'up' || (state === 'unknown' && adminUp));
      }
    });
  });

  it('should parse names up to the first colon and skip names that would leave sysfs', () => {
    const parsed = parseNetDev('  eth0: 1 0 0 0 0 0 0 0 2 0\n  ../x: 1 0 0 0 0 0 0 0 2 0\n  bad: x 0 0 0 0 0 0 0 y\n');
    expect(parsed).to.deep.equal([
      { name: 'eth0', rx: 1, tx: 2 },
      { name: 'bad', rx: null, tx: null },
    ]);
  });
});
