import * as os from 'node:os';
import * as si from 'systeminformation';
import type { Systeminformation } from 'systeminformation';

/**
 * Everything the probes read from the machine. Each probe depends on a `Pick`
 * of this, so a test hands it a few hand-written functions instead of a host.
 */
export type SystemSource = Pick<
  typeof si,
  'osInfo' | 'cpu' | 'uuid' | 'mem' | 'currentLoad' | 'battery' | 'fsSize' | 'fsStats' | 'cpuTemperature' | 'processes'
> & {
  // Declared by hand: systeminformation's overloads also return a single
  // interface, which no probe asks for.
  networkInterfaces(): Promise<Systeminformation.NetworkInterfacesData[]>;
  networkStats(ifaces: string): Promise<Systeminformation.NetworkStatsData[]>;
  /**
   * Seconds since boot. systeminformation's `time()` also runs `date` and `ls`
   * through execSync on every call, for a time zone nobody here asks for.
   */
  uptime(): number;
  /** Node's name of the platform (`linux`, `darwin`, `win32`...). */
  platform: NodeJS.Platform;
  /** 1/5/15 minute load averages; systeminformation only reports the 1 minute one. */
  loadavg(): number[];
  /** Every address of every interface; systeminformation keeps only the first IPv4 and IPv6. */
  interfaceAddresses(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  logicalCores(): number;
  /** The collecting process itself, whose helper children are not the machine's work. */
  selfPid: number;
};

/** The real machine, through systeminformation and Node's `os`. */
export function createSystemSource(): SystemSource {
  return {
    osInfo: si.osInfo,
    cpu: si.cpu,
    uptime: os.uptime,
    uuid: si.uuid,
    mem: si.mem,
    currentLoad: si.currentLoad,
    battery: si.battery,
    fsSize: si.fsSize,
    fsStats: si.fsStats,
    cpuTemperature: si.cpuTemperature,
    processes: si.processes,
    networkInterfaces: () => si.networkInterfaces(),
    networkStats: (ifaces) => si.networkStats(ifaces),
    platform: process.platform,
    loadavg: os.loadavg,
    interfaceAddresses: os.networkInterfaces,
    logicalCores: os.availableParallelism,
    selfPid: process.pid,
  };
}
