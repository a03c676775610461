import { Injectable } from '@nestjs/common';

/** An opaque handle of a scheduled callback. */
export type TimerHandle = object | number;

/** Where the hub schedules work, so that throttles and sweeps can be tested with fake time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export const TIMERS = Symbol('Timers');

@Injectable()
export class SystemTimers implements Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle {
    // Timers never keep the process alive: a hub stops when its server closes.
    return setTimeout(callback, ms).unref();
  }

  clearTimeout(handle: TimerHandle): void {
    clearTimeout(handle as NodeJS.Timeout);
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    return setInterval(callback, ms).unref();
  }

  clearInterval(handle: TimerHandle): void {
    clearInterval(handle as NodeJS.Timeout);
  }
}
