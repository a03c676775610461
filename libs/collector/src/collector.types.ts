import type { HostFacts, Metrics } from '@hostwatch/protocol';

/** Collects one machine's stats. `facts` once at start, `sample` every tick. */
export interface Collector {
  /** Static facts: collected once and cached by the caller. */
  collectFacts(): Promise<HostFacts>;
  /** One sample of every dynamic metric group. Rates are null on the first call. */
  sample(): Promise<Metrics>;
  /** A stable id for this machine (the OS machine id), or null where none can be read. */
  machineId(): Promise<string | null>;
}

/**
 * How the dynamic metrics are read: `linux` from procfs and sysfs, `portable`
 * through systeminformation (the only set on macOS, Windows and the BSDs),
 * `auto` the first where /proc can be read, else the second.
 */
export type ProbeSetChoice = 'auto' | 'linux' | 'portable';

/** A collector was asked for a probe set this machine cannot run. */
export class ProbeSetUnavailableError extends Error {
  override readonly name = 'ProbeSetUnavailableError';
}

export interface CollectorOptions {
  /** Which probe set to run. Default auto. */
  probes?: ProbeSetChoice;
  /** How many processes `processes.top` lists, by CPU. Default 5. */
  topProcesses?: number;
  /** Wall-clock milliseconds since the Unix epoch (the boot time of the facts), injected for tests. Default Date.now. */
  now?: () => number;
  /**
   * Monotonic milliseconds by which every rate is timed at the read of its
   * counters, and cached readings age; injected for tests. Default
   * performance.now: a wall clock that steps (NTP, a user) would bend a rate.
   */
  monotonicNow?: () => number;
}
