import type { Retention } from '../core/retention';
import type { HistoryQuery, HistoryResult } from './history.repository';
import type { HostRegistration } from './host-registry.repository';
import type { PackedHistoryRows } from './packed-rows';

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
  /** History rows and registrations, committed together. */
  | { id: number; op: 'write'; rows: PackedHistoryRows; registrations: HostRegistration[] }
  | { id: number; op: 'loadRegistry' }
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

/**
 * A query's answer as it crosses threads: its points as one Float64Array of
 * ts, value, ts, value..., moved rather than copied: cloning hundreds of
 * small arrays took the worker about a hundred times longer.
 */
export type PackedHistoryResult = Omit<HistoryResult, 'points'> & { points: Float64Array };

export function packResult(result: HistoryResult): PackedHistoryResult {
  const packed = new Float64Array(result.points.length * 2);
  result.points.forEach(([ts, value], i) => {
    packed[2 * i] = ts;
    packed[2 * i + 1] = value;
  });
  return { ...result, points: packed };
}

export function unpackResult(packed: PackedHistoryResult): HistoryResult {
  const points: Array<[number, number]> = [];
  for (let i = 0; i < packed.points.length; i += 2) points.push([packed.points[i]!, packed.points[i + 1]!]);
  return { ...packed, points };
}
