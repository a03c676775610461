import type { NetworkInterfaceInfo } from 'node:os';
import type { Systeminformation } from 'systeminformation';
import type { SystemSource } from '../source/system.source';

// What systeminformation returns, shaped after a real Debian VM, so that a probe
// test states only the fields it is about.

/**
 * systeminformation's types promise a number where platforms really report
 * null (no battery time, no sensor); tests feed that null through this.
 */
export const REPORTED_NULL = null as unknown as number;

export function osData(overrides: Partial<Systeminformation.OsData> = {}): Systeminformation.OsData {
  return {
    platform: 'linux',
    distro: 'Debian GNU/Linux',
    release: '12',
    codename: 'bookworm',
    kernel: '6.1.0-18-amd64',
    arch: 'x64',
    hostname: 'web-01',
    fqdn: 'web-01.example.org',
    codepage: 'UTF-8',
    logofile: 'debian',
    serial: '3d1219c7c4c5404aaa1f6d2a48adfda4',
    build: '',
    servicepack: '',
    uefi: false,
    ...overrides,
  };
}

export function cpuData(overrides: Partial<Systeminformation.CpuData> = {}): Systeminformation.CpuData {
  return {
    manufacturer: 'Intel',
    brand: 'Xeon E-2236',
    vendor: 'GenuineIntel',
    family: '6',
    model: '158',
    stepping: '10',
    revision: '',
    voltage: '',
    speed: 3.4,
    speedMin: 0.8,
    speedMax: 4.8,
    governor: 'performance',
    cores: 4,
    physicalCores: 2,
    processors: 1,
    socket: '',
    flags: 'fpu vme',
    virtualization: true,
    cache: { l1d: 65536, l1i: 65536, l2: 1048576, l3: 12582912 },
    ...overrides,
  };
}

export function memData(overrides: Partial<Systeminformation.MemData> = {}): Systeminformation.MemData {
  return {
    total: 8_000_000_000,
    free: 1_000_000_000,
    used: 7_000_000_000,
    active: 2_000_000_000,
    available: 6_000_000_000,
    buffcache: 5_000_000_000,
    buffers: 100_000_000,
    cached: 4_900_000_000,
    slab: 100_000_000,
    reclaimable: 50_000_000,
    swaptotal: 2_000_000_000,
    swapused: 500_000_000,
    swapfree: 1_500_000_000,
    writeback: 0,
    dirty: 0,
    ...overrides,
  };
}

export function coreLoad(load: number): Systeminformation.CurrentLoadCpuData {
  return {
    load,
    loadUser: load,
    loadSystem: 0,
    loadNice: 0,
    loadIdle: 100 - load,
    loadIrq: 0,
    loadSteal: 0,
    loadGuest: 0,
    rawLoad: load,
    rawLoadUser: load,
    rawLoadSystem: 0,
    rawLoadNice: 0,
    rawLoadIdle: 100 - load,
    rawLoadIrq: 0,
    rawLoadSteal: 0,
    rawLoadGuest: 0,
  };
}

export function currentLoadData(overrides: Partial<Systeminformation.CurrentLoadData> = {}): Systeminformation.CurrentLoadData {
  return {
    avgLoad: 0.2,
    currentLoad: 25,
    currentLoadUser: 20,
    currentLoadSystem: 5,
    currentLoadNice: 0,
    currentLoadIdle: 75,
    currentLoadIrq: 0,
    currentLoadSteal: 0,
    currentLoadGuest: 0,
    rawCurrentLoad: 50,
    rawCurrentLoadUser: 40,
    rawCurrentLoadSystem: 10,
    rawCurrentLoadNice: 0,
    rawCurrentLoadIdle: 150,
    rawCurrentLoadIrq: 0,
    rawCurrentLoadSteal: 0,
    rawCurrentLoadGuest: 0,
    cpus: [coreLoad(20), coreLoad(30)],
    ...overrides,
  };
}

/** What systeminformation reports on a machine without a battery (a desktop, a VM). */
export function noBatteryData(): Systeminformation.BatteryData {
  return {
    hasBattery: false,
    cycleCount: 0,
    isCharging: false,
    designedCapacity: 0,
    maxCapacity: 0,
    currentCapacity: 0,
    voltage: 0,
    capacityUnit: '',
    percent: 0,
    timeRemaining: REPORTED_NULL,
    acConnected: true,
    type: '',
    model: '',
    manufacturer: '',
    serial: '',
  };
}

export function batteryData(overrides: Partial<Systeminformation.BatteryData> = {}): Systeminformation.BatteryData {
  return {
    hasBattery: true,
    cycleCount: 120,
    isCharging: false,
    designedCapacity: 57_000,
    maxCapacity: 52_000,
    currentCapacity: 39_000,
    voltage: 12.1,
    capacityUnit: 'mWh',
    percent: 75,
    timeRemaining: 184,
    acConnected: false,
    type: 'Li-ion',
    model: 'DELL 7FHHV',
    manufacturer: 'SMP',
    serial: '1234',
    ...overrides,
  };
}

export function nicData(overrides: Partial<Systeminformation.NetworkInterfacesData> = {}): Systeminformation.NetworkInterfacesData {
  return {
    iface: 'eth0',
    ifaceName: 'eth0',
    default: true,
    ip4: '192.0.2.10',
    ip4subnet: '255.255.255.0',
    ip6: 'fe80::5054:ff:fe12:3456',
    ip6subnet: 'ffff:ffff:ffff:ffff::',
    mac: '52:54:00:12:34:56',
    internal: false,
    virtual: false,
    operstate: 'up',
    type: 'wired',
    duplex: 'full',
    mtu: 1500,
    speed: 1000,
    dhcp: false,
    dnsSuffix: 'Unknown',
    ieee8021xAuth: 'Not defined',
    ieee8021xState: 'Disabled',
    carrierChanges: 1,
    ...overrides,
  };
}

export function nicStatsData(overrides: Partial<Systeminformation.NetworkStatsData> = {}): Systeminformation.NetworkStatsData {
  return {
    iface: 'eth0',
    operstate: 'up',
    rx_bytes: 1_000_000,
    rx_dropped: 0,
    rx_errors: 0,
    tx_bytes: 500_000,
    tx_dropped: 0,
    tx_errors: 0,
    rx_sec: REPORTED_NULL,
    tx_sec: REPORTED_NULL,
    ms: 0,
    ...overrides,
  };
}

export function addressInfo(address: string): NetworkInterfaceInfo {
  const base = { address, mac: '52:54:00:12:34:56', internal: false, cidr: null };
  return address.includes(':')
    ? { ...base, family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', scopeid: 0 }
    : { ...base, family: 'IPv4', netmask: '255.255.255.0' };
}

export function fsSizeData(overrides: Partial<Systeminformation.FsSizeData> = {}): Systeminformation.FsSizeData {
  return {
    fs: '/dev/vda1',
    type: 'ext4',
    size: 100_000_000_000,
    used: 30_000_000_000,
    available: 70_000_000_000,
    use: 30,
    mount: '/',
    rw: true,
    ...overrides,
  };
}

export function fsStatsData(overrides: Partial<Systeminformation.FsStatsData> = {}): Systeminformation.FsStatsData {
  return { rx: 1_000_000, wx: 2_000_000, tx: 3_000_000, rx_sec: null, wx_sec: null, tx_sec: null, ms: 0, ...overrides };
}

export function temperatureData(overrides: Partial<Systeminformation.CpuTemperatureData> = {}): Systeminformation.CpuTemperatureData {
  return { main: 48, cores: [46, 49], max: 52, socket: [], chipset: REPORTED_NULL, ...overrides };
}

/** What systeminformation reports where the machine exposes no sensors (most VMs). */
export function noSensorsData(): Systeminformation.CpuTemperatureData {
  return { main: REPORTED_NULL, cores: [], max: REPORTED_NULL, socket: [], chipset: REPORTED_NULL };
}

export function processData(overrides: Partial<Systeminformation.ProcessesProcessData> = {}): Systeminformation.ProcessesProcessData {
  return {
    pid: 812,
    parentPid: 1,
    name: 'node',
    cpu: 4,
    cpuu: 3,
    cpus: 1,
    mem: 2.1,
    priority: 19,
    memVsz: 1_200_000,
    memRss: 175_000,
    nice: 0,
    started: '2025-11-24 16:00:00',
    state: 'running',
    tty: '',
    user: 'www',
    command: 'node',
    params: 'server.js',
    path: '/usr/bin',
    ...overrides,
  };
}

export function processesData(overrides: Partial<Systeminformation.ProcessesData> = {}): Systeminformation.ProcessesData {
  return { all: 67, running: 1, blocked: 0, sleeping: 66, unknown: 0, list: [processData()], ...overrides };
}

/** A whole fake machine for collector-level tests; each field can be replaced. */
export function fakeSystemSource(overrides: Partial<SystemSource> = {}): SystemSource {
  return {
    osInfo: async () => osData(),
    cpu: async () => cpuData(),
    uptime: () => 600,
    uuid: async () => ({ os: '3d1219c7c4c5404aaa1f6d2a48adfda4', hardware: '', macs: [] }),
    mem: async () => memData(),
    currentLoad: async () => currentLoadData(),
    battery: async () => noBatteryData(),
    fsSize: async () => [fsSizeData()],
    fsStats: async () => fsStatsData(),
    cpuTemperature: async () => noSensorsData(),
    processes: async () => processesData(),
    networkInterfaces: async () => [nicData()],
    networkStats: async () => [nicStatsData()],
    platform: 'linux',
    loadavg: () => [0.42, 0.3, 0.25],
    interfaceAddresses: () => ({ eth0: [addressInfo('192.0.2.10'), addressInfo('fe80::5054:ff:fe12:3456')] }),
    logicalCores: () => 4,
    selfPid: 4242,
    // The listing's own figures stand unless a test gives sizes of its own.
    statfs: () => Promise.reject(new Error('no statfs on a fake machine')),
    ...overrides,
  };
}
