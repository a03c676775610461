import type { Collector } from '@hostwatch/collector';
import type { Ack, ErrorCode, HostFacts, Metrics, Snapshot } from '@hostwatch/protocol';
import type { SnapshotQueue } from '../buffer/snapshot-queue';
import type { HandshakeRefusal, HubLink } from '../link/hub-link';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle, Timers } from '../time/timers';

/** Codes that say "not now" rather than "never": the snapshot is kept and sent again later. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INTERNAL_ERROR', 'RATE_LIMITED', 'MEMORY_LIMIT']);

/**
 * Snapshots sent before the first of them is acknowledged. A replay of an
 * hour's backlog then takes a few round trips per batch rather than one per
 * snapshot, and the hub can commit a batch in one transaction; a small
 * window keeps what a failure sends again small.
 */
export const DEFAULT_MAX_IN_FLIGHT = 8;

type SendResult = { delivered: true; ack: Ack } | { delivered: false; error: unknown };

export interface AgentOptions {
  hostId: string;
  intervalMs: number;
  facts: HostFacts;
  collector: Pick<Collector, 'sample'>;
  link: HubLink;
  buffer: SnapshotQueue<Snapshot>;
  /** The lowest seq this run may use, e.g. above every seq a spool from an earlier run holds. */
  firstSeq?: number;
  /** Snapshots sent without waiting for their ack, at most; 1 sends one at a time. */
  maxInFlight?: number;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  /** Called with every sample, e.g. to print the tables with --console. */
  onSample?: (metrics: Metrics) => void;
}

export type AgentEnd = { reason: 'stopped' } | { reason: 'refused'; refusal: HandshakeRefusal };

/**
 * The agent's loop: sample every interval, queue the snapshot, and deliver
 * the queue in order, facts first after every connect, a few snapshots in
 * flight at a time and each one kept until the hub acknowledges it.
 */
export class Agent {
  private nextSeq: number;
  private tickTimer: TimerHandle | null = null;
  private sampling = false;
  private pumping = false;
  private pumpRequested = false;
  /** Set while a delivery waits for an ack, so that a new snapshot is sent at once if the window allows. */
  private wakeDelivery: (() => void) | null = null;
  /** Bumped on every connect and disconnect, so that work begun on an old connection stops. */
  private connection = 0;
  private factsDelivered = false;
  private droppedWhileFull = 0;
  private droppedSinceReport = 0;
  private readonly maxInFlight: number;
  private ended = false;
  private resolveEnd: (end: AgentEnd) => void = () => undefined;
  private readonly done: Promise<AgentEnd>;

  constructor(private readonly options: AgentOptions) {
    // The hub drops duplicates by (hostId, seq), so seq must keep increasing
    // even across restarts, with or without a spool. Starting at the start
    // time in ms does it: a run takes at least one interval (>= 100 ms) per
    // sample, so the next run starts above the last seq ever sent. A spool
    // may hold seqs above that (a clock set back), hence firstSeq.
    this.nextSeq = Math.max(options.clock.now(), options.firstSeq ?? 0);
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a whole number >= 1, got ${this.maxInFlight}`);
    }
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
    this.reportDropped();
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
      this.droppedSinceReport += dropped;
      // A hub that stays away must not hide how much is lost: say so each time the buffer has turned over.
      if (this.droppedSinceReport >= buffer.capacity) {
        logger.warn(`dropped ${this.droppedWhileFull} unacknowledged snapshots so far while the buffer was full`);
        this.droppedSinceReport = 0;
      }
    }
    this.pump();
  }

  /** Delivers what is queued; a call while a delivery runs makes it go round once more. */
  private pump(): void {
    this.pumpRequested = true;
    this.wakeDelivery?.();
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
    const { link, buffer } = this.options;
    const connection = this.connection;
    const current = () => !this.ended && connection === this.connection && link.isConnected();
    if (!current()) return 'later';
    if (!this.factsDelivered && !(await this.deliverFacts(current))) return 'later';

    // Sent in seq order, handled in the same order; after a failure nothing
    // more is sent, and what is still in flight is waited for.
    const inFlight: { snapshot: Snapshot; result: Promise<SendResult> }[] = [];
    let lastSentSeq = -1;
    let healthy = true;
    for (;;) {
      while (healthy && inFlight.length < this.maxInFlight && current()) {
        const next = buffer.find((snapshot) => snapshot.seq > lastSentSeq);
        if (next === undefined) break;
        lastSentSeq = next.seq;
        const result = link.sendSnapshot(next).then(
          (ack): SendResult => ({ delivered: true, ack }),
          (error: unknown): SendResult => ({ delivered: false, error }),
        );
        inFlight.push({ snapshot: next, result });
      }
      const head = inFlight[0];
      if (head === undefined) break;
      // A new sample may fill the window while the oldest ack is awaited.
      const woken = new Promise<null>((resolve) => (this.wakeDelivery = () => resolve(null)));
      const result = await Promise.race([head.result, woken]);
      this.wakeDelivery = null;
      if (result === null) continue;
      inFlight.shift();
      // Only the first failure is logged: the ones in flight behind it fail for the same reason.
      if (!this.settle(head.snapshot, result, healthy)) healthy = false;
    }
    return healthy && current() ? 'done' : 'later';
  }

  /** Acts on one snapshot's answer; false when the hub should be left alone until the next tick. */
  private settle(snapshot: Snapshot, result: SendResult, logFailure: boolean): boolean {
    const { buffer, logger } = this.options;
    if (!result.delivered) {
      if (logFailure) logger.warn(`snapshot ${snapshot.seq} was not acknowledged, keeping it: ${messageOf(result.error)}`);
      return false;
    }
    const { ack } = result;
    if (ack.ok) {
      buffer.remove(snapshot);
      this.reportDropped();
      return true;
    }
    const { code, message } = ack.error;
    if (RETRYABLE_CODES.has(code)) {
      if (logFailure) logger.warn(`hub deferred snapshot ${snapshot.seq} (${code}: ${message}); will send it again`);
      return false;
    }
    logger.error(`hub rejected snapshot ${snapshot.seq} (${code}: ${message}); dropped it`);
    buffer.remove(snapshot);
    return true;
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
    this.droppedSinceReport = 0;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
