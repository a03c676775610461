import type { Clock } from '../core/clock';

export class FakeClock implements Clock {
  constructor(private current = 1_764_000_000_000) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
