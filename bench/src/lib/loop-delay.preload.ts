/*
 * Loaded with `node --require` into a measured process: the longest
 * event-loop delay of every window of HOSTWATCH_BENCH_LOOP_WINDOW_MS, written
 * as JSON to HOSTWATCH_BENCH_LOOP_FILE when the process exits. Nothing is
 * written while it runs, so the process pays only for the delay timer, every
 * HOSTWATCH_BENCH_LOOP_RESOLUTION_MS (1 ms unless set).
 * Main thread only: a worker thread inherits the process's --require, and
 * its own figures would overwrite the main thread's file.
 */
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env['HOSTWATCH_BENCH_LOOP_FILE'];
const windowMs = Number(process.env['HOSTWATCH_BENCH_LOOP_WINDOW_MS'] ?? '1000');
const resolution = Number(process.env['HOSTWATCH_BENCH_LOOP_RESOLUTION_MS'] ?? '1');

if (file && isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  const windows: Array<[number, number]> = [];
  const timer = setInterval(() => {
    windows.push([Date.now(), histogram.max / 1e6]);
    histogram.reset();
  }, windowMs);
  timer.unref();
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ windowMs, windows }));
  });
}
