/** The parts of a V8 CPU profile (`node --cpu-prof`) that say when the main thread was busy. */
export interface CpuProfile {
  nodes: ReadonlyArray<{ id: number; callFrame: { functionName: string } }>;
  /** Microseconds, on V8's monotonic clock. */
  startTime: number;
  samples: readonly number[];
  /** Microseconds since the previous sample (the first: since startTime). */
  timeDeltas: readonly number[];
}

/**
 * The longest time the main thread ran without a break, in each window of
 * windowMs from the profile's start (windows before skipMs left out), in ms.
 *
 * A stretch starts at a sample that is not `(idle)` and lasts until the next
 * idle sample, so it is what the event loop could not do meanwhile: the
 * blocking of one tick, measured to one sampling interval. Unlike the delay
 * of a timer, it does not count the time the process was not scheduled
 * while it had nothing to do; only time taken from it while it ran.
 */
export function longestBusyStretches(profile: CpuProfile, windowMs: number, skipMs = 0): number[] {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  const longest: number[] = [];
  let t = profile.startTime;
  let stretchStart: number | null = null;
  const close = (end: number) => {
    if (stretchStart === null) return;
    const startMs = (stretchStart - profile.startTime) / 1000;
    if (startMs >= skipMs) {
      const window = Math.floor((startMs - skipMs) / windowMs);
      while (longest.length <= window) longest.push(0);
      longest[window] = Math.max(longest[window]!, (end - stretchStart) / 1000);
    }
    stretchStart = null;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (idle.has(profile.samples[i]!)) close(t);
    else stretchStart ??= t;
  }
  // A stretch still open when the profile ends has no known end: left out.
  return longest;
}
