/**
 * The history store on a thread of its own: inserts, commits (with their
 * fsync), WAL checkpoints, rollups and pruning never hold the hub's event
 * loop, where every agent's ack and every browser's update is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Logger, type LoggerService } from '@nestjs/common';
import { SqliteHistoryRepository } from '../repositories/sqlite-history.repository';
import type { HistoryReply, HistoryRequest, HistoryWorkerData, LogLevel } from './history-worker.protocol';

const port = parentPort!;
const post = (reply: HistoryReply) => port.postMessage(reply);

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
      return store.write(request.rows);
    case 'query':
      return store.query(request.query);
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

const store = open();
if (store) {
  // Requests run as they come: a write lands between two slices of a long compaction, not after it.
  port.on('message', (request: HistoryRequest) => {
    void handle(store, request)
      .then(
        (value) => post({ type: 'result', id: request.id, value }),
        (error: unknown) => post({ type: 'error', id: request.id, error }),
      )
      // Closed after the answer is posted, so that the thread ends once the store has.
      .finally(() => request.op === 'close' && port.close());
  });
  post({ type: 'ready' });
}
