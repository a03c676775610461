import type { Collector } from '@hostwatch/collector';
import type { Ack, ErrorCode, HostFacts, Metrics, Snapshot } from '@hostwatch/protocol';
import type { SnapshotBuffer } from '../buffer/snapshot-buffer';
import type { HandshakeRefusal, HubLink } from '../link/hub-link';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle, Timers } from '../time/timers';

/** Codes that say "not now" rather than "never": the snapshot is kept and sent again later. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INTERNAL_ERROR', 'RATE_LIMITED']);

export interface AgentOptions {
  hostId: string;
  intervalMs: number;
  facts: HostFacts;
  collector: Pick<Collector, 'sample'>;
  link: HubLink;
  buffer: SnapshotBuffer<Snapshot>;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Called with every sample, e.g. to print the tables with --console. */
  onSample?: (metrics: Metrics) => void;
}

export type AgentEnd = { reason: 'stopped' } | { reason: 'refused'; refusal: HandshakeRefusal };

/**
 * The agent's loop: sample every interval, queue the snapshot, and deliver
 * the queue in order, one acknowledged message at a time, facts first after
 * every connect.
 */
export class Agent {
  private nextSeq: number;
  private tickTimer: TimerHandle | null = null;
  private sampling = false;
  private pumping = false;
  private pumpRequested = false;
  /** Bumped on every connect and disconnect, so that work begun on an old connection stops. */
  private connection = 0;
  private factsDelivered = false;
  private droppedWhileFull = 0;
  private ended = false;
  private resolveEnd: (end: AgentEnd) => void = () => undefined;
  private readonly done: Promise<AgentEnd>;

  constructor(private readonly options: AgentOptions) {
    // The hub drops duplicates by (hostId, seq), so seq must keep increasing
    // even across restarts, and the agent keeps no state on disk. Starting at
    // the start time in ms does it: a run takes at least one interval (>= 100
    // ms) per sample, so the next run starts above the last seq ever sent.
    this.nextSeq = options.clock.now();
    this.done = new Promise((resolve) => {
      this.resolveEnd = resolve;
    });
  }

  /** Starts sampling and connecting; resolves when the agent is stopped or the hub refuses it. */
  run(): Promise<AgentEnd> {
    const { link, timers, intervalMs } = this.options;
    link.open({
      connected: () => {
        this.connection += 1;
        this.factsDelivered = false;
        this.pump();
      },
      disconnected: () => {
        this.connection += 1;
        this.factsDelivered = false;
      },
      refused: (refusal) => this.end({ reason: 'refused', refusal }),
    });
    this.tickTimer = timers.setInterval(() => this.tick(), intervalMs);
    // Sample at once so that the hub sees this host without waiting one interval.
    this.tick();
    return this.done;
  }

  stop(): void {
    this.end({ reason: 'stopped' });
  }

  private end(end: AgentEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (this.tickTimer !== null) this.options.timers.clearInterval(this.tickTimer);
    this.tickTimer = null;
    this.options.link.close();
    this.resolveEnd(end);
  }

  private tick(): void {
    if (this.ended) return;
    if (this.sampling) {
      this.options.logger.warn(`sampling takes longer than the interval (${this.options.intervalMs} ms); skipped a tick`);
      return;
    }
    this.sampling = true;
    void this.sampleOnce().finally(() => {
      this.sampling = false;
    });
  }

  private async sampleOnce(): Promise<void> {
    const { collector, clock, hostId, buffer, logger, onSample } = this.options;
    let metrics: Metrics;
    try {
      metrics = await collector.sample();
    } catch (error) {
      logger.error(`sampling failed: ${messageOf(error)}`);
      return;
    }
    if (this.ended) return;
    const snapshot: Snapshot = { hostId, seq: this.nextSeq++, ts: clock.now(), ...metrics };
    try {
      onSample?.(metrics);
    } catch (error) {
      logger.error(`printing the tables failed: ${messageOf(error)}`);
    }
    const dropped = buffer.push(snapshot);
    if (dropped > 0) {
      if (this.droppedWhileFull === 0) {
        logger.warn(`snapshot buffer is full (${buffer.capacity}); dropping the oldest until the hub acknowledges again`);
      }
      this.droppedWhileFull += dropped;
    }
    this.pump();
  }

  /** Delivers what is queued; a call while a delivery runs makes it go round once more. */
  private pump(): void {
    this.pumpRequested = true;
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      try {
        while (this.pumpRequested && !this.ended) {
          this.pumpRequested = false;
          const connection = this.connection;
          const outcome = await this.deliver();
          // After a failure on the same connection the next tick tries again,
          // rather than hammering a hub that is slow or asked for a pause.
          if (outcome === 'later' && connection === this.connection) this.pumpRequested = false;
        }
      } finally {
        this.pumping = false;
      }
    })();
  }

  private async deliver(): Promise<'done' | 'later'> {
    const { link, buffer, logger } = this.options;
    const connection = this.connection;
    const current = () => !this.ended && connection === this.connection && link.isConnected();
    if (!current()) return 'later';
    if (!this.factsDelivered && !(await this.deliverFacts(current))) return 'later';

    for (let next = buffer.peek(); next !== undefined && current(); next = buffer.peek()) {
      let ack: Ack;
      try {
        ack = await link.sendSnapshot(next);
      } catch (error) {
        logger.warn(`snapshot ${next.seq} was not acknowledged, keeping it: ${messageOf(error)}`);
        return 'later';
      }
      if (ack.ok) {
        buffer.remove(next);
        this.reportDropped();
        continue;
      }
      const { code, message } = ack.error;
      if (RETRYABLE_CODES.has(code)) {
        logger.warn(`hub deferred snapshot ${next.seq} (${code}: ${message}); will send it again`);
        return 'later';
      }
      logger.error(`hub rejected snapshot ${next.seq} (${code}: ${message}); dropped it`);
      buffer.remove(next);
    }
    return current() ? 'done' : 'later';
  }

  private async deliverFacts(current: () => boolean): Promise<boolean> {
    const { link, logger, facts } = this.options;
    let ack: Ack;
    try {
      ack = await link.sendFacts(facts);
    } catch (error) {
      logger.warn(`facts were not acknowledged, will send them again: ${messageOf(error)}`);
      return false;
    }
    if (!current()) return false;
    if (!ack.ok) {
      const { code, message } = ack.error;
      if (RETRYABLE_CODES.has(code)) {
        logger.warn(`hub deferred this host's facts (${code}: ${message}); will send them again`);
        return false;
      }
      // The same facts would be refused again; the snapshots still carry the live data.
      logger.error(`hub rejected this host's facts (${code}: ${message}); sending snapshots without them`);
    }
    this.factsDelivered = true;
    return true;
  }

  private reportDropped(): void {
    if (this.droppedWhileFull === 0) return;
    this.options.logger.warn(`dropped ${this.droppedWhileFull} unacknowledged snapshots while the buffer was full`);
    this.droppedWhileFull = 0;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
