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

export interface CollectorOptions {
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
