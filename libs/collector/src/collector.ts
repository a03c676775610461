import type { HostFacts, Metrics } from '@hostwatch/protocol';
import { ProbeSetUnavailableError, type Collector, type CollectorOptions, type ProbeSetChoice } from './collector.types';
import { collectorVersion } from './collector.version';
import { ChildFactsReader, factsProcess } from './facts/child-facts.reader';
import type { FactsReader } from './facts/facts-reader.types';
import { LocalFactsReader } from './facts/local-facts.reader';
import { detectLinuxRoots, type LinuxRoots } from './linux/linux-roots.util';
import { HostProbe } from './probes/host.probe';
import { linuxProbes, systeminformationProbes, type ProbeSet } from './probes/probe-set.factory';
import { createSystemSource, type SystemSource } from './source/system.source';

class SystemCollector implements Collector {
  private readonly host: HostProbe;

  constructor(
    source: SystemSource,
    private readonly probes: ProbeSet,
    private readonly factsReader: FactsReader,
    now: () => number,
  ) {
    this.host = new HostProbe(source, now, collectorVersion());
  }

  collectFacts(): Promise<HostFacts> {
    return this.factsReader.facts();
  }

  async sample(): Promise<Metrics> {
    // Each probe waits on different files or commands, so together they take as long as the slowest.
    const p = this.probes;
    const [cpu, memory, battery, network, filesystems, diskIo, temperatures, processes] = await Promise.all([
      p.cpu.sample(),
      p.memory.sample(),
      p.battery.sample(),
      p.network.sample(),
      p.filesystems.sample(),
      p.diskIo.sample(),
      p.temperatures.sample(),
      p.processes.sample(),
    ]);
    return { uptimeSeconds: this.host.uptimeSeconds(), cpu, memory, battery, network, filesystems, diskIo, temperatures, processes };
  }

  machineId(): Promise<string | null> {
    return this.factsReader.machineId();
  }
}

/**
 * A collector for this machine; each keeps its own rate and cache state, so two
 * never disturb each other. With the `linux` probe set the dynamic metrics are
 * read from procfs and sysfs at `linux`; with `portable` through
 * systeminformation, which also answers the static facts everywhere: in a
 * short-lived process of their own next to the `linux` set, so that this
 * process never loads it. `auto` is `linux` wherever /proc can be read. A
 * `source` given without `linux` replaces the whole machine (in tests), facts
 * included. Throws ProbeSetUnavailableError for `linux` without a readable /proc.
 */
export function createCollector(options: CollectorOptions = {}, source?: SystemSource, linux?: LinuxRoots | null): Collector {
  const machine = source ?? createSystemSource();
  const found = linux !== undefined ? linux : source === undefined ? detectLinuxRoots() : null;
  const roots = chooseRoots(options.probes ?? 'auto', found);
  const now = options.now ?? Date.now;
  const probeOptions = { now: options.monotonicNow ?? (() => performance.now()), topProcesses: options.topProcesses };
  const probes = roots === null ? systeminformationProbes(machine, probeOptions) : linuxProbes(roots, machine, probeOptions);
  const child = source === undefined && roots !== null ? factsProcess() : null;
  const facts = child ? new ChildFactsReader(child.run, child.script) : new LocalFactsReader(machine, now, collectorVersion());
  return new SystemCollector(machine, probes, facts, now);
}

/** The roots the `linux` set reads, or null for the portable set. */
function chooseRoots(choice: ProbeSetChoice, found: LinuxRoots | null): LinuxRoots | null {
  if (choice === 'portable') return null;
  if (choice === 'linux' && found === null) {
    throw new ProbeSetUnavailableError('the linux probe set needs a readable /proc (stat and meminfo), which this machine lacks');
  }
  return found;
}
