import type { TimerHandle, Timers } from '../core/timers';
import type { FakeClock } from './fake-clock';

interface Scheduled {
  id: number;
  at: number;
  every: number | null;
  callback: () => void;
}

/** Timers driven by a FakeClock: `advance` moves the clock and runs whatever falls due, in time order. */
export class FakeTimers implements Timers {
  private readonly scheduled = new Map<number, Scheduled>();
  private nextId = 1;

  constructor(private readonly clock: FakeClock) {}

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, null);
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.scheduled.delete(handle);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add(callback, ms, Math.max(1, ms));
  }

  clearInterval(handle: TimerHandle): void {
    if (typeof handle === 'number') this.scheduled.delete(handle);
  }

  /** How many callbacks are waiting. */
  get pending(): number {
    return this.scheduled.size;
  }

  /** The delays of waiting one-shot callbacks, from now. */
  pendingDelays(): number[] {
    return [...this.scheduled.values()].filter((entry) => entry.every === null).map((entry) => entry.at - this.clock.now());
  }

  /** Moves time forward by `ms`, running due callbacks and letting their promise chains settle. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    // Work already under way may schedule timers that fall due in this step.
    await settle();
    for (;;) {
      const due = [...this.scheduled.values()].filter((entry) => entry.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.clock.advance(Math.max(0, due.at - this.clock.now()));
      if (due.every === null) this.scheduled.delete(due.id);
      else due.at += due.every;
      due.callback();
      await settle();
    }
    this.clock.advance(end - this.clock.now());
    await settle();
  }

  private add(callback: () => void, ms: number, every: number | null): TimerHandle {
    const id = this.nextId++;
    this.scheduled.set(id, { id, at: this.clock.now() + Math.max(0, ms), every, callback });
    return id;
  }
}

/** Lets pending promise callbacks run; a macrotask turn lets every microtask queued before it finish. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
