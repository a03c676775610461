/*
 * Loaded with `node --require` into the hub under load: every garbage
 * collection of its main thread, as [when it began (ms since the epoch), its
 * pause (ms), 'full' or 'young'], written as JSON to
 * HOSTWATCH_BENCH_GC_FILE when the process exits. A full collection's pause
 * is only its final step: the marking before it runs in steps between the
 * hub's own work, which the loop-delay preload beside it shows.
 */
import * as fs from 'node:fs';
import { constants, PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env['HOSTWATCH_BENCH_GC_FILE'];

if (file && isMainThread) {
  const collections: Array<[number, number, 'full' | 'young']> = [];
  const kindOf = (entry: PerformanceEntry): 'full' | 'young' | null => {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) return 'full';
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) return 'young';
    return null;
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kindOf(entry);
      if (kind) collections.push([performance.timeOrigin + entry.startTime, entry.duration, kind]);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ collections }));
  });
}
