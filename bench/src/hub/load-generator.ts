import * as path from 'node:path';
import { HUB_NODE_FLAGS } from '@hostwatch/hub/dist/core/node-flags';
import type { Cleanup } from '../lib/cleanup';
import { spawnMeasured, type CgroupRoot, type MeasuredProcess } from '../lib/measured-process';
import type { ToParent, ToWorker, WorkerReport } from './load-messages';

const WORKER = path.join(__dirname, 'load-worker.js');

/** The workers' reports added up: the same figures as one worker's. */
export type MergedReport = WorkerReport;

/**
 * The hub's own flags, for the same reasons. With V8's default young
 * generation, garbage collection took a large share of a worker's CPU;
 * without the room of three times what survives, workers ran full
 * collections often, and an ack that came back meanwhile was timed late:
 * the load generator's stalls counted against the hub. With both, a worker
 * rarely runs a full collection in a window and takes less CPU. The hub's
 * later --no-memory-reducer comes along; it was measured on the hub, not on
 * the workers.
 */
const WORKER_NODE_FLAGS = HUB_NODE_FLAGS;

/** Simulated agents spread over a few worker processes, each in its own cgroup so its CPU shows apart from the hub's. */
export class LoadGenerator {
  private readonly workers: MeasuredProcess[] = [];
  private readonly pending = new Map<MeasuredProcess, Array<{ type: ToParent['type']; resolve: (message: ToParent) => void }>>();
  private hosts = 0;

  private constructor(private readonly name: string) {}

  static async start(name: string, workerCount: number, logFile: string, cgroups: CgroupRoot, cleanup: Cleanup): Promise<LoadGenerator> {
    const generator = new LoadGenerator(name);
    const ready: Array<Promise<ToParent>> = [];
    for (let i = 0; i < workerCount; i += 1) {
      const worker = spawnMeasured(
        process.execPath,
        [...WORKER_NODE_FLAGS, WORKER],
        { name: `${name}-w${i}`, ipc: true, raiseFileLimit: true, logFile },
        cgroups,
        cleanup,
      );
      generator.workers.push(worker);
      generator.pending.set(worker, []);
      worker.child.on('message', (message: ToParent) => {
        const waiting = generator.pending.get(worker)!;
        const at = waiting.findIndex((w) => w.type === message.type);
        if (at >= 0) waiting.splice(at, 1)[0].resolve(message);
      });
      ready.push(generator.expect(worker, 'ready'));
    }
    await Promise.all(ready);
    return generator;
  }

  private expect(worker: MeasuredProcess, type: ToParent['type']): Promise<ToParent> {
    return new Promise((resolve, reject) => {
      this.pending.get(worker)!.push({ type, resolve });
      void worker.exited.then((code) => reject(new Error(`load worker exited (${code}) while waiting for '${type}'`)));
    });
  }

  private ask(worker: MeasuredProcess, message: ToWorker, reply: ToParent['type']): Promise<ToParent> {
    const answer = this.expect(worker, reply);
    worker.child.send(message);
    return answer;
  }

  /** Connects `count` more agents named `<prefix>-<n>`; resolves with how many are connected and the first errors. */
  async connect(
    url: string,
    token: string,
    prefix: string,
    count: number,
    intervalMs: number,
    connectPerSecond = 1000,
  ): Promise<{ connected: number; errors: string[]; errorCount: number }> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(this.hosts + i).padStart(5, '0')}`);
    this.hosts += count;
    const share = Math.ceil(ids.length / this.workers.length);
    const answers = await Promise.all(
      this.workers.map((worker, i) =>
        this.ask(
          worker,
          { type: 'connect', url, token, hostIds: ids.slice(i * share, (i + 1) * share), intervalMs, connectPerSecond: connectPerSecond / this.workers.length },
          'connected',
        ),
      ),
    );
    let connected = 0;
    let errorCount = 0;
    const errors: string[] = [];
    for (const answer of answers) {
      if (answer.type !== 'connected') continue;
      connected += answer.connected;
      errorCount += answer.errorCount;
      errors.push(...answer.errors);
    }
    return { connected, errors: errors.slice(0, 5), errorCount };
  }

  /** Every agent sends a snapshot every sendIntervalMs (phases spread); null stops sending. */
  async setRate(sendIntervalMs: number | null): Promise<void> {
    await Promise.all(this.workers.map((worker) => this.ask(worker, { type: 'rate', sendIntervalMs }, 'rated')));
  }

  async report(reset: boolean): Promise<MergedReport> {
    const answers = await Promise.all(this.workers.map((worker) => this.ask(worker, { type: 'report', reset }, 'report')));
    const merged: MergedReport = {
      sent: 0,
      acked: 0,
      failed: 0,
      lost: 0,
      failCodes: {},
      latenciesMs: [],
      slowAcks: [],
      outstanding: 0,
      connected: 0,
      totals: { sent: 0, acked: 0, failed: 0, lost: 0 },
    };
    for (const answer of answers) {
      if (answer.type !== 'report') continue;
      const r: WorkerReport = answer.report;
      merged.sent += r.sent;
      merged.acked += r.acked;
      merged.failed += r.failed;
      merged.lost += r.lost;
      merged.outstanding += r.outstanding;
      merged.connected += r.connected;
      for (const [code, n] of Object.entries(r.failCodes)) merged.failCodes[code] = (merged.failCodes[code] ?? 0) + n;
      for (const value of r.latenciesMs) merged.latenciesMs.push(value);
      for (const slow of r.slowAcks) merged.slowAcks.push(slow);
      for (const key of ['sent', 'acked', 'failed', 'lost'] as const) merged.totals[key] += r.totals[key];
    }
    return merged;
  }

  /** Waits until no ack is outstanding, or timeoutMs passed. */
  async drain(timeoutMs: number): Promise<MergedReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.report(false);
      if (report.outstanding === 0 || Date.now() > deadline) return report;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  cpuUsec(): number {
    return this.workers.reduce((total, worker) => total + worker.cpuUsec(), 0);
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) {
      if (worker.child.connected) worker.child.send({ type: 'stop' } satisfies ToWorker);
    }
    await Promise.all(this.workers.map((worker) => worker.stop(5000)));
  }

  toString(): string {
    return this.name;
  }
}
