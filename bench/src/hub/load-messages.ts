/** What the load generator and its workers say to each other over IPC. */
export type ToWorker =
  | { type: 'connect'; url: string; token: string; hostIds: string[]; intervalMs: number; connectPerSecond: number }
  | { type: 'rate'; sendIntervalMs: number | null }
  | { type: 'report'; reset: boolean }
  | { type: 'stop' };

export interface Counts {
  sent: number;
  acked: number;
  failed: number;
  /** No ack within the timeout, or the connection closed first. */
  lost: number;
}

export interface WorkerReport extends Counts {
  failCodes: Record<string, number>;
  latenciesMs: number[];
  /** Each ack slower than SLOW_ACK_MS: when it came back (ms since the epoch) and its latency. */
  slowAcks: Array<[number, number]>;
  outstanding: number;
  connected: number;
  /** Since the worker started, never reset. */
  totals: Counts;
}

export type ToParent =
  | { type: 'ready' }
  | { type: 'connected'; connected: number; errors: string[]; errorCount: number }
  | { type: 'rated' }
  | { type: 'report'; report: WorkerReport };
