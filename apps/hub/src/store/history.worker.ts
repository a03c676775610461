/**
 * The history store on a thread of its own: inserts, commits (with their
 * fsync), WAL checkpoints, rollups and pruning never hold the hub's event
 * loop, where every agent's ack and every browser's update is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Logger, type LoggerService } from '@nestjs/common';
import { SqliteHistoryRepository } from './sqlite-history.repository';
import { packResult, type HistoryReply, type HistoryRequest, type HistoryWorkerData, type LogLevel } from './history-worker.protocol';
import { unpackRows } from './packed-rows';

const port = parentPort!;
const post = (reply: HistoryReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function forward(level: LogLevel) {
  return (message: unknown) => post({ type: 'log', level, message: String(message) });
}
const forwardingLogger: LoggerService = {
  log: forward('log'),
  error: forward('error'),
  warn: forward('warn'),
  debug: forward('debug'),
  verbose: forward('verbose'),
};
Logger.overrideLogger(forwardingLogger);

function open(): SqliteHistoryRepository | null {
  try {
    return new SqliteHistoryRepository({
      ...(workerData as HistoryWorkerData),
      clock: { now: () => Date.now() },
      scheduler: { setInterval: (callback, ms) => setInterval(callback, ms), clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout) },
    });
  } catch (error) {
    post({ type: 'failed', error });
    port.close();
    return null;
  }
}

async function handle(store: SqliteHistoryRepository, request: HistoryRequest): Promise<unknown> {
  switch (request.op) {
    case 'write':
      return store.write(unpackRows(request.rows), request.registrations);
    case 'loadRegistry':
      return store.load();
    case 'query': {
      const result = await store.query(request.query);
      return result && packResult(result);
    }
    case 'metrics':
      return store.metrics(request.hostId);
    case 'deleteHost':
      return store.deleteHost(request.hostId);
    case 'compact':
      return store.compact();
    case 'close':
      return store.close();
  }
}

/** A packed query answer's points are moved to the main thread, not copied. */
function movable(value: unknown): ArrayBuffer[] {
  const points = (value as { points?: unknown } | null)?.points;
  return points instanceof Float64Array ? [points.buffer as ArrayBuffer] : [];
}

const store = open();
if (store) {
  // Requests run as they come: a write lands between two slices of a long compaction, not after it.
  port.on('message', (request: HistoryRequest) => {
    void handle(store, request)
      .then(
        (value) => post({ type: 'result', id: request.id, value }, movable(value)),
        (error: unknown) => post({ type: 'error', id: request.id, error }),
      )
      // Closed after the answer is posted, so that the thread ends once the store has.
      .finally(() => request.op === 'close' && port.close());
  });
  post({ type: 'ready' });
}
