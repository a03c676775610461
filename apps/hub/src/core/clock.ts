import { Injectable } from '@nestjs/common';

/** Where the hub gets the time from, so that status rules can be tested with a fake clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const CLOCK = Symbol('Clock');

@Injectable()
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
