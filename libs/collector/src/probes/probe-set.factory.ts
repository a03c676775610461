import type { BatteryMetrics, CpuMetrics, DiskIo, Filesystem, MemoryMetrics, NetworkInterface, ProcessMetrics, TemperatureMetrics } from '@hostwatch/protocol';
import type { LinuxRoots } from '../linux/linux-roots.util';
import type { SystemSource } from '../source/system.source';
import { BatteryProbe } from './battery.probe';
import { CpuProbe } from './cpu.probe';
import { DiskIoProbe } from './disk-io.probe';
import { FilesystemsProbe } from './filesystems.probe';
import { LinuxBatteryProbe } from './linux/linux-battery.probe';
import { LinuxCpuProbe } from './linux/linux-cpu.probe';
import { LinuxDiskIoProbe } from './linux/linux-disk-io.probe';
import { LinuxFilesystemsProbe } from './linux/linux-filesystems.probe';
import { LinuxMemoryProbe } from './linux/linux-memory.probe';
import { LinuxNetworkProbe } from './linux/linux-network.probe';
import { LinuxProcessesProbe } from './linux/linux-processes.probe';
import { LinuxTemperaturesProbe } from './linux/linux-temperatures.probe';
import { MemoryProbe } from './memory.probe';
import { NetworkProbe } from './network.probe';
import type { Probe } from './probe.types';
import { ProcessesProbe } from './processes.probe';
import { TemperaturesProbe } from './temperatures.probe';

/** One probe per dynamic metric group. */
export interface ProbeSet {
  cpu: Probe<CpuMetrics>;
  memory: Probe<MemoryMetrics>;
  battery: Probe<BatteryMetrics>;
  network: Probe<NetworkInterface[]>;
  filesystems: Probe<Filesystem[]>;
  diskIo: Probe<DiskIo>;
  temperatures: Probe<TemperatureMetrics>;
  processes: Probe<ProcessMetrics>;
}

export interface ProbeSetOptions {
  /** Monotonic milliseconds: rates are timed by it, cached readings age by it. */
  now: () => number;
  topProcesses?: number;
}

/** Every group through systeminformation: any platform it supports. */
export function systeminformationProbes(source: SystemSource, options: ProbeSetOptions): ProbeSet {
  const { now } = options;
  return {
    cpu: new CpuProbe(source),
    memory: new MemoryProbe(source),
    battery: new BatteryProbe(source),
    network: new NetworkProbe(source, now),
    filesystems: new FilesystemsProbe(source, now),
    diskIo: new DiskIoProbe(source, now),
    temperatures: new TemperaturesProbe(source),
    processes: new ProcessesProbe(source, options.topProcesses),
  };
}

/**
 * Every group read from procfs and sysfs, without a child process or a
 * blocking call: systeminformation runs `ps`, `df` and shell loops for the same
 * figures, which cost a tick far more CPU than the figures are worth.
 */
export function linuxProbes(roots: LinuxRoots, source: SystemSource, options: ProbeSetOptions): ProbeSet {
  const { now } = options;
  return {
    cpu: new LinuxCpuProbe(roots, source),
    memory: new LinuxMemoryProbe(roots),
    battery: new LinuxBatteryProbe(roots, now),
    network: new LinuxNetworkProbe(roots, source, now),
    filesystems: new LinuxFilesystemsProbe(roots, now),
    diskIo: new LinuxDiskIoProbe(roots, now),
    temperatures: new LinuxTemperaturesProbe(roots, now),
    processes: new LinuxProcessesProbe(roots, source, now, options.topProcesses),
  };
}
