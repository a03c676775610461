import * as os from 'node:os';
import type * as si from 'systeminformation';
import type { Systeminformation } from 'systeminformation';
import { nodeStatfs, type StatfsFn } from '../util/statfs-guard.util';

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
  /** statfs(2) of a path through Node (GetDiskFreeSpace on Windows): one call, where `fsSize` runs `df`. */
  statfs: StatfsFn;
};

type SiModule = typeof si;

/**
 * The real machine, through systeminformation and Node's `os`.
 * systeminformation is loaded on the first call that needs it: on Linux the
 * probes read /proc and /sys instead, and a long-running agent that never
 * calls it keeps its modules (a few MiB) out of memory.
 */
export function createSystemSource(): SystemSource {
  let loaded: SiModule | null = null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const lib = (): SiModule => (loaded ??= require('systeminformation') as SiModule);
  return {
    osInfo: () => lib().osInfo(),
    cpu: () => lib().cpu(),
    uptime: os.uptime,
    uuid: () => lib().uuid(),
    mem: () => lib().mem(),
    currentLoad: () => lib().currentLoad(),
    battery: () => lib().battery(),
    fsSize: () => lib().fsSize(),
    fsStats: () => lib().fsStats(),
    cpuTemperature: () => lib().cpuTemperature(),
    processes: () => lib().processes(),
    networkInterfaces: () => lib().networkInterfaces(),
    networkStats: (ifaces) => lib().networkStats(ifaces),
    platform: process.platform,
    loadavg: os.loadavg,
    interfaceAddresses: os.networkInterfaces,
    logicalCores: os.availableParallelism,
    selfPid: process.pid,
    statfs: nodeStatfs,
  };
}
