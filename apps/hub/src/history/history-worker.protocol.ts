import type { Retention } from '../config/retention';
import type { HistoryQuery } from '../repositories/history.repository';
import type { HistoryRow } from '../repositories/sqlite-history.repository';

/** What the history worker is started with: plain data, as it crosses to another thread. */
export interface HistoryWorkerData {
  file: string;
  retention: Retention;
  compactEveryMs?: number;
  sliceMs?: number;
  deleteChunk?: number;
  busyTimeoutMs?: number;
}

/** A call from the hub's main thread; answered by a `result` or an `error` with the same id. */
export type HistoryRequest =
  | { id: number; op: 'write'; rows: HistoryRow[] }
  | { id: number; op: 'query'; query: HistoryQuery }
  | { id: number; op: 'metrics'; hostId: string }
  | { id: number; op: 'deleteHost'; hostId: string }
  | { id: number; op: 'compact' }
  | { id: number; op: 'close' };

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export type HistoryReply =
  /** The store is open; calls may follow. */
  | { type: 'ready' }
  /** The store could not be opened; the worker ends. */
  | { type: 'failed'; error: unknown }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: unknown }
  /** A line the store logged, for the hub's own logger. */
  | { type: 'log'; level: LogLevel; message: string };
