/*
 * Loaded with `node --require` into a twin agent and the known task: the longest task of
 * every window of HOSTWATCH_BENCH_LOOP_WINDOW_MS, written as JSON to
 * HOSTWATCH_BENCH_TASK_FILE when the process exits.
 *
 * A task is what the event loop runs in one go: a callback it took up (a
 * timer, an immediate, an I/O completion) with the promise jobs and
 * next-tick callbacks that ran right after it, until the loop takes up the
 * next callback or waits for I/O again (its idle time grows). Nothing else
 * can run meanwhile, so its length is how long the loop was blocked. Each is
 * measured twice: in wall time, which also counts any moment the machine did
 * not run the process, and in the CPU time of the main thread alone
 * (`thread-cpu-usage`, getrusage(RUSAGE_THREAD)), which does not. The
 * process's CPU time would also count its other threads while the task runs
 * (libuv's pool reading files, V8's collector helpers), which do not block
 * the loop. Where that addon cannot load, the process's CPU time stands in
 * and the file says so. Unlike a timer's delay, neither depends on how late
 * the machine wakes an idle process.
 */
import { createHook } from 'node:async_hooks';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env['HOSTWATCH_BENCH_TASK_FILE'];
const windowMs = Number(process.env['HOSTWATCH_BENCH_LOOP_WINDOW_MS'] ?? '1000');

/** Resources whose callbacks run as part of the task before them, not as tasks of their own. */
const JOB_TYPES: ReadonlySet<string> = new Set(['PROMISE', 'TickObject', 'Microtask']);

type CpuClock = 'main thread' | 'process';
type CpuUsageReader = () => { user: number; system: number };

let cpuClock: CpuClock = 'process';
let readCpu: CpuUsageReader = () => process.cpuUsage();

function cpuMs(): number {
  const usage = readCpu();
  return (usage.user + usage.system) / 1000;
}

/** The addon is an ES module: it loads while the process starts up, inside the benchmark's warm-up. */
async function useMainThreadClock(): Promise<void> {
  try {
    const { threadCpuUsage } = await import('thread-cpu-usage');
    threadCpuUsage();
    readCpu = threadCpuUsage;
    cpuClock = 'main thread';
  } catch {
    // Another platform or libc without a prebuilt addon: the process's CPU time, as the result records.
  }
}

if (file) {
  void useMainThreadClock();
  // Every resource but promise jobs, so that a callback can be told apart from a job; forgotten when destroyed.
  const callbacks = new Set<number>();
  let depth = 0;
  let open = false;
  let startWall = 0;
  let startCpu = 0;
  let endWall = 0;
  let endCpu = 0;
  /** The loop's idle time when the open task last ran code: once it has grown, the loop waited in between. */
  let idleAtEnd = 0;
  let maxWall = 0;
  let maxCpu = 0;
  const closeTask = () => {
    if (!open) return;
    open = false;
    maxWall = Math.max(maxWall, endWall - startWall);
    maxCpu = Math.max(maxCpu, endCpu - startCpu);
  };
  createHook({
    init(asyncId, type) {
      if (!JOB_TYPES.has(type)) callbacks.add(asyncId);
    },
    destroy(asyncId) {
      callbacks.delete(asyncId);
    },
    before(asyncId) {
      if (depth++ > 0) return;
      // A job continues the task before it, unless the loop has waited since; a callback starts a new one.
      if (open && !callbacks.has(asyncId) && performance.eventLoopUtilization().idle === idleAtEnd) return;
      closeTask();
      open = true;
      startWall = performance.now();
      startCpu = cpuMs();
      endWall = startWall;
      endCpu = startCpu;
    },
    after() {
      if (--depth > 0) return;
      endWall = performance.now();
      endCpu = cpuMs();
      idleAtEnd = performance.eventLoopUtilization().idle;
    },
  }).enable();

  const windows: Array<[number, number, number]> = [];
  const timer = setInterval(() => {
    // This callback is a task of its own and the one open now; what it measures ended before it.
    windows.push([Date.now(), maxWall, maxCpu]);
    maxWall = 0;
    maxCpu = 0;
  }, windowMs);
  timer.unref();
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify({ windowMs, cpuClock, windows }));
  });
}
