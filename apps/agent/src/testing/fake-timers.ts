import type { Clock, TimerHandle, Timers } from '../time/timers';

interface Scheduled {
  callback: () => void;
  ms: number;
  repeat: boolean;
}

/** Timers that fire only when a test says so. */
export class FakeTimers implements Timers {
  private readonly scheduled = new Map<number, Scheduled>();
  private nextId = 1;

  setInterval(callback: () => void, ms: number): TimerHandle {
    return this.add({ callback, ms, repeat: true });
  }

  clearInterval(handle: TimerHandle): void {
    this.scheduled.delete(handle as number);
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add({ callback, ms, repeat: false });
  }

  clearTimeout(handle: TimerHandle): void {
    this.scheduled.delete(handle as number);
  }

  /** How many intervals and timeouts are still pending. */
  get pending(): number {
    return this.scheduled.size;
  }

  intervalsOf(ms: number): number {
    return [...this.scheduled.values()].filter((entry) => entry.repeat && entry.ms === ms).length;
  }

  /** Fires every interval once. */
  tick(): void {
    for (const entry of [...this.scheduled.values()]) if (entry.repeat) entry.callback();
  }

  /** Fires every pending timeout once. */
  runTimeouts(): void {
    for (const [id, entry] of [...this.scheduled]) {
      if (entry.repeat) continue;
      this.scheduled.delete(id);
      entry.callback();
    }
  }

  private add(entry: Scheduled): number {
    const id = this.nextId++;
    this.scheduled.set(id, entry);
    return id;
  }
}

export class FakeClock implements Clock {
  constructor(public current = 1_764_000_000_000) {}

  now(): number {
    return this.current;
  }
}
