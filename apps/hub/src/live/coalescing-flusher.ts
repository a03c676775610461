import type { Clock } from '../core/clock';
import type { TimerHandle, Timers } from '../core/timers';

/** What changed since the last flush: room -> keys changed in it. */
export type Batch = Map<string, Set<string>>;

/**
 * Collects changed keys per room and hands them over in one batch at most
 * once per `minIntervalMs`. A key marked many times between two flushes is
 * sent once, so a busy fleet costs a browser one message per second, not
 * one per snapshot. After a quiet spell the first change goes out on the
 * next turn of the event loop rather than waiting a full interval.
 */
export class CoalescingFlusher {
  private pending: Batch = new Map();
  private timer: TimerHandle | null = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly minIntervalMs: number,
    private readonly flush: (batch: Batch) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  mark(room: string, key: string): void {
    if (this.stopped) return;
    let keys = this.pending.get(room);
    if (!keys) {
      keys = new Set();
      this.pending.set(room, keys);
    }
    keys.add(key);
    this.schedule();
  }

  /** Drops what is pending and schedules nothing more. */
  stop(): void {
    this.stopped = true;
    this.pending = new Map();
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    // A flush in progress reschedules when it ends; a slow flush must not overlap the next one.
    if (this.timer !== null || this.flushing || this.pending.size === 0) return;
    const delay = Math.max(0, this.lastFlushAt + this.minIntervalMs - this.clock.now());
    this.timer = this.timers.setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    const batch = this.pending;
    this.pending = new Map();
    this.lastFlushAt = this.clock.now();
    this.flushing = true;
    try {
      await this.flush(batch);
    } catch (error) {
      this.onError(error);
    } finally {
      this.flushing = false;
      if (!this.stopped) this.schedule();
    }
  }
}
