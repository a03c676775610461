import type { AgentAuth } from '../handshake.schema';
import { PROTOCOL_VERSION } from '../version';
import type { HostFacts } from '../facts.schema';
import type { Snapshot } from '../snapshot.schema';

/** A valid, realistic set of static facts. Each call returns a fresh copy. */
export function validFacts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    hostname: 'web-01',
    os: {
      platform: 'linux',
      distro: 'Debian GNU/Linux',
      release: '12',
      codename: 'bookworm',
      kernel: '6.1.0-18-amd64',
      arch: 'x64',
    },
    cpu: { manufacturer: 'Intel', brand: 'Xeon E-2236', logicalCores: 2, physicalCores: 1, speedGHz: 3.4 },
    memoryTotalBytes: 8_589_934_592,
    bootTime: 1_764_000_000_000,
    agentVersion: '0.1.0',
    ...overrides,
  };
}

/** A valid, realistic snapshot. Each call returns a fresh copy. */
export function validSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    hostId: 'web-01',
    seq: 1,
    ts: 1_764_000_600_000,
    uptimeSeconds: 600,
    cpu: { usagePercent: 12.5, perCorePercent: [10, 15], load: { one: 0.42, five: 0.3, fifteen: 0.25 } },
    memory: {
      totalBytes: 8_589_934_592,
      usedBytes: 2_147_483_648,
      availableBytes: 6_442_450_944,
      freeBytes: 4_294_967_296,
      swapTotalBytes: 1_073_741_824,
      swapUsedBytes: 0,
      usedPercent: 25,
    },
    battery: { present: false, percent: null, charging: null, acConnected: null, timeRemainingMinutes: null },
    network: [
      {
        name: 'lo',
        up: true,
        speedMbps: null,
        mac: '00:00:00:00:00:00',
        ipv4: ['127.0.0.1'],
        ipv6: ['::1'],
        internal: true,
        rxBytesPerSec: 120,
        txBytesPerSec: 120,
        rxBytesTotal: 1_000_000,
        txBytesTotal: 1_000_000,
      },
      {
        name: 'eth0',
        up: true,
        speedMbps: 1000,
        mac: '52:54:00:12:34:56',
        ipv4: ['192.0.2.10'],
        ipv6: ['fe80::5054:ff:fe12:3456'],
        internal: false,
        rxBytesPerSec: 2048,
        txBytesPerSec: 1024,
        rxBytesTotal: 123_456_789,
        txBytesTotal: 98_765_432,
      },
    ],
    filesystems: [
      {
        mount: '/',
        fsType: 'ext4',
        device: '/dev/vda1',
        sizeBytes: 107_374_182_400,
        usedBytes: 32_212_254_720,
        availableBytes: 75_161_927_680,
        usedPercent: 30,
      },
    ],
    diskIo: { readBytesPerSec: 4096, writeBytesPerSec: 16384 },
    temperatures: { cpuMainC: null, cpuMaxC: null, perCoreC: [] },
    processes: {
      total: 67,
      running: 1,
      blocked: 0,
      top: [
        { pid: 812, name: 'node', command: 'node server.js', user: 'www', cpuPercent: 8.5, memPercent: 2.1, rssBytes: 180_000_000 },
        { pid: 1, name: 'systemd', command: '/sbin/init', user: 'root', cpuPercent: 0.3, memPercent: 0.2, rssBytes: 12_000_000 },
        { pid: 402, name: 'sshd', command: 'sshd: /usr/sbin/sshd -D', user: 'root', cpuPercent: 0.1, memPercent: 0.1, rssBytes: 8_000_000 },
        { pid: 633, name: 'cron', command: '/usr/sbin/cron -f', user: 'root', cpuPercent: 0, memPercent: 0, rssBytes: 2_500_000 },
        { pid: 701, name: 'rsyslogd', command: '/usr/sbin/rsyslogd -n', user: 'root', cpuPercent: 0, memPercent: 0.1, rssBytes: 4_000_000 },
      ],
    },
    ...overrides,
  };
}

/** A valid handshake `auth` payload for the given token. */
export function validAuth(token: string, overrides: Partial<AgentAuth> = {}): AgentAuth {
  return { token, hostId: 'web-01', protocolVersion: PROTOCOL_VERSION, intervalMs: 5000, ...overrides };
}
