import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import { unpackResult, type HistoryReply, type HistoryRequest, type HistoryWorkerData, type PackedHistoryResult } from './history-worker.protocol';
import type { HistoryQuery, HistoryRepository, HistoryResult, MetricInfo } from './history.repository';
import type { HostRegistration, HostRegistryRepository, LatestWrite, RegisteredHost } from './host-registry.repository';
import { HistoryRowsPacker, transferablesOf } from './packed-rows';
import type { SeriesPoint } from './series';
import { historyRowOf } from './sqlite-history.repository';

const WORKER_FILE = path.join(__dirname, 'history.worker.js');

export interface WorkerHistoryOptions extends HistoryWorkerData {
  /**
   * How long the first queued snapshot waits for others to share its commit
   * while no write is under way. While one is, snapshots gather until it ends,
   * so a slow disk makes batches bigger, not the queue longer. Each batch costs
   * a round trip between the threads (a wake-up on each side) and a commit,
   * so a longer window trades a little ack latency for less CPU (docs/BENCHMARKS.md, "Why the hub is built as it is").
   */
  commitWindowMs?: number;
  /** A batch is sent at once when it holds this many snapshots. */
  maxBatch?: number;
}

/** Distributes a request, without its `id`, over the union of requests. */
type RequestBody = HistoryRequest extends infer R ? (R extends HistoryRequest ? Omit<R, 'id'> : never) : never;

interface Call {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  rows: HistoryRowsPacker;
  registrations: HostRegistration[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * History and the host registry in a SQLite file (SqliteHistoryRepository),
 * kept by a worker thread. The hub's thread only batches snapshots' series,
 * their latest rows and registrations, and posts them; an append or a
 * registration still resolves only once its batch is committed, so an ack
 * keeps its promise that the snapshot survives a crash.
 */
export class WorkerHistoryRepository implements HistoryRepository, HostRegistryRepository, OnApplicationShutdown {
  private readonly logger = new Logger('HistoryStore');
  private readonly commitWindowMs: number;
  private readonly maxBatch: number;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private batch: Batch | null = null;
  private batchTimer: ReturnType<typeof setTimeout> | null = null;
  private writesInFlight = 0;
  private failure: Error | null = null;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    options: WorkerHistoryOptions,
  ) {
    this.commitWindowMs = options.commitWindowMs ?? 25;
    this.maxBatch = options.maxBatch ?? 1000;
    worker.on('message', (reply: HistoryReply) => this.onReply(reply));
    worker.on('error', (error) => this.fail(`it threw: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(`its thread exited (code ${code})`);
    });
    // Idle, the thread does not keep the hub's process alive; a call under way does.
    worker.unref();
  }

  /** Starts the worker; rejects with the store's own error when the file cannot be opened. */
  static open(options: WorkerHistoryOptions): Promise<WorkerHistoryRepository> {
    const { commitWindowMs: _window, maxBatch: _batch, ...workerData } = options;
    const worker = new Worker(WORKER_FILE, { workerData: workerData satisfies HistoryWorkerData });
    const logger = new Logger('HistoryStore');
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`The history worker exited (code ${code}) before it was ready`));
      const onMessage = (reply: HistoryReply) => {
        if (reply.type === 'log') return logger[reply.level](reply.message);
        settle();
        if (reply.type === 'ready') return resolve(new WorkerHistoryRepository(worker, options));
        void worker.terminate();
        reject(reply.type === 'failed' ? reply.error : new Error(`The history worker answered '${reply.type}' before it was ready`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  append(snapshot: Snapshot, latest: LatestWrite | null = null, series?: readonly SeriesPoint[]): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const batch = (this.batch ??= newBatch());
    batch.rows.add(historyRowOf(snapshot, latest, series));
    return this.scheduled(batch);
  }

  /** Joins the next batch, so that a burst of connections (a hub's restart) shares its commits. */
  register(host: HostRegistration): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const batch = (this.batch ??= newBatch());
    batch.registrations.push(host);
    return this.scheduled(batch);
  }

  load(): Promise<RegisteredHost[]> {
    return this.call({ op: 'loadRegistry' }) as Promise<RegisteredHost[]>;
  }

  private scheduled(batch: Batch): Promise<void> {
    if (batch.rows.rowCount + batch.registrations.length >= this.maxBatch) this.sendBatch();
    else if (this.batchTimer === null && this.writesInFlight === 0) {
      this.batchTimer = setTimeout(() => this.sendBatch(), this.commitWindowMs);
    }
    return batch.done;
  }

  async query(query: HistoryQuery): Promise<HistoryResult | null> {
    const packed = (await this.call({ op: 'query', query })) as PackedHistoryResult | null;
    return packed && unpackResult(packed);
  }

  metrics(hostId: string): Promise<MetricInfo[]> {
    return this.call({ op: 'metrics', hostId }) as Promise<MetricInfo[]>;
  }

  async deleteHost(hostId: string): Promise<void> {
    // Snapshots and registrations queued before the delete are written first, so they cannot bring the host back afterwards.
    this.sendBatch();
    await this.call({ op: 'deleteHost', hostId });
  }

  /** Runs one round of rollups and pruning now; resolves when it is done. */
  async compact(): Promise<void> {
    await this.call({ op: 'compact' });
  }

  /** Writes what is queued, closes the file and ends the thread. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.sendBatch();
      try {
        if (!this.failure) await this.send({ op: 'close' });
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closed;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private refusal(): Error | null {
    if (this.closed) return new Error('The history store is closed');
    return this.failure;
  }

  private call(body: RequestBody): Promise<unknown> {
    const refused = this.refusal();
    return refused ? Promise.reject(refused) : this.send(body);
  }

  private send(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = this.nextId++;
    if (this.calls.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as HistoryRequest, transfer);
    });
  }

  /** Posts the gathered snapshots as one write; their appends settle when it is committed. */
  private sendBatch(): void {
    if (this.batchTimer !== null) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const batch = this.batch;
    if (!batch || batch.rows.rowCount + batch.registrations.length === 0) return;
    this.batch = null;
    if (this.failure) return batch.reject(this.failure);
    this.writesInFlight++;
    const rows = batch.rows.pack();
    this.send({ op: 'write', rows, registrations: batch.registrations }, transferablesOf(rows))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.writesInFlight--;
        // What gathered while the write was under way has waited long enough.
        if (this.writesInFlight === 0) this.sendBatch();
      });
  }

  private onReply(reply: HistoryReply): void {
    switch (reply.type) {
      case 'result':
      case 'error': {
        const call = this.calls.get(reply.id);
        if (!call) return;
        this.calls.delete(reply.id);
        if (this.calls.size === 0) this.worker.unref();
        if (reply.type === 'result') call.resolve(reply.value);
        else call.reject(reply.error);
        return;
      }
      case 'log':
        this.logger[reply.level](reply.message);
        return;
      default:
        this.logger.warn(`Unexpected message from the history worker: ${reply.type}`);
    }
  }

  /** The thread is gone: everything waiting on it fails, and so does every later call. */
  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new Error(`The history store stopped: ${reason}`);
    this.logger.error(this.failure.message);
    for (const call of this.calls.values()) call.reject(this.failure);
    this.calls.clear();
    this.sendBatch();
  }
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { rows: new HistoryRowsPacker(), registrations: [], done, resolve, reject };
}
