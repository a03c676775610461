import type { HostFacts, Metrics } from '@hostwatch/protocol';
import type { Collector, CollectorOptions } from './collector.types';
import { collectorVersion } from './collector.version';
import { BatteryProbe } from './probes/battery.probe';
import { CpuProbe } from './probes/cpu.probe';
import { DiskIoProbe } from './probes/disk-io.probe';
import { FilesystemsProbe } from './probes/filesystems.probe';
import { HostProbe } from './probes/host.probe';
import { MemoryProbe } from './probes/memory.probe';
import { NetworkProbe } from './probes/network.probe';
import { ProcessesProbe } from './probes/processes.probe';
import { TemperaturesProbe } from './probes/temperatures.probe';
import { createSystemSource, type SystemSource } from './source/system.source';

class SystemCollector implements Collector {
  private readonly host: HostProbe;
  private readonly cpu: CpuProbe;
  private readonly memory: MemoryProbe;
  private readonly battery: BatteryProbe;
  private readonly network: NetworkProbe;
  private readonly filesystems: FilesystemsProbe;
  private readonly diskIo: DiskIoProbe;
  private readonly temperatures: TemperaturesProbe;
  private readonly processes: ProcessesProbe;

  constructor(
    private readonly source: SystemSource,
    options: CollectorOptions,
  ) {
    const now = options.now ?? Date.now;
    this.host = new HostProbe(source, now, collectorVersion());
    this.cpu = new CpuProbe(source);
    this.memory = new MemoryProbe(source);
    this.battery = new BatteryProbe(source);
    this.network = new NetworkProbe(source, now);
    this.filesystems = new FilesystemsProbe(source, now);
    this.diskIo = new DiskIoProbe(source, now);
    this.temperatures = new TemperaturesProbe(source);
    this.processes = new ProcessesProbe(source, options.topProcesses);
  }

  collectFacts(): Promise<HostFacts> {
    return this.host.facts();
  }

  async sample(): Promise<Metrics> {
    // Each probe waits on a different file or command, so together they take as long as the slowest.
    const [cpu, memory, battery, network, filesystems, diskIo, temperatures, processes] = await Promise.all([
      this.cpu.sample(),
      this.memory.sample(),
      this.battery.sample(),
      this.network.sample(),
      this.filesystems.sample(),
      this.diskIo.sample(),
      this.temperatures.sample(),
      this.processes.sample(),
    ]);
    return { uptimeSeconds: this.host.uptimeSeconds(), cpu, memory, battery, network, filesystems, diskIo, temperatures, processes };
  }

  async machineId(): Promise<string | null> {
    try {
      const id = (await this.source.uuid()).os;
      return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
    } catch {
      return null;
    }
  }
}

/**
 * A collector for this machine. `source` replaces the machine in tests; each
 * collector keeps its own rate and cache state, so two never disturb each other.
 */
export function createCollector(options: CollectorOptions = {}, source: SystemSource = createSystemSource()): Collector {
  return new SystemCollector(source, options);
}
