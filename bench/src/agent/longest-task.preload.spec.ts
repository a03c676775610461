import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const PRELOAD = path.join(__dirname, 'longest-task.preload.js');

/**
 * A worker thread spins the whole time while the main thread runs one task
 * of 40 ms of wall time: the process's CPU time over that task is about
 * twice its wall time whenever the worker gets the other core, the main
 * thread's never more than its wall time.
 */
const PROGRAM = `
const { Worker } = require('node:worker_threads');
const worker = new Worker("require('node:worker_threads').parentPort.postMessage('spinning'); for (;;) {}", { eval: true });
worker.once('message', () => {
  setTimeout(() => {
    const until = performance.now() + 40;
    while (performance.now() < until) {}
    setTimeout(() => process.exit(0), 1200);
  }, 300);
});
`;

describe('longest-task.preload', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-longest-task-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("should time a task in the main thread's CPU, leaving out other threads that do not block the loop", async () => {
    const file = path.join(dir, 'tasks.json');
    await promisify(execFile)(process.execPath, ['--require', PRELOAD, '-e', PROGRAM], {
      env: { ...process.env, HOSTWATCH_BENCH_TASK_FILE: file, HOSTWATCH_BENCH_LOOP_WINDOW_MS: '1000' },
      timeout: 15_000,
    });

    const result = JSON.parse(fs.readFileSync(file, 'utf8')) as { cpuClock: string; windows: Array<[number, number, number]> };
    expect(result.cpuClock).to.equal('main thread');
    const [, wallMs, cpuMs] = result.windows.reduce((longest, window) => (window[1] > longest[1] ? window : longest));
    expect(wallMs).to.be.within(40, 1000);
    expect(cpuMs, 'the busy task, in CPU time').to.be.above(10);
    expect(cpuMs, 'no more CPU than wall time: the spinning worker is not counted').to.be.at.most(wallMs + 1);
  });
});
