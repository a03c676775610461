import { SlicedSyncReader, type SweepReader, type TimedTexts } from '../linux/sliced-reader.util';
import type { FakeClock } from './fake-clock';

/**
 * A real sweep reader whose next read a test can make start late on its fake
 * clock, as on a machine busy with other work: a probe that times its counters
 * by when the sample ends, not by their reads, then reports a bent rate.
 */
export class LateSweepReader implements SweepReader {
  private readonly real = new SlicedSyncReader();
  private holdMs = 0;

  constructor(private readonly clock: FakeClock) {}

  /** The next read, timed or not, starts `ms` later; the reads after it start at once. */
  holdNextRead(ms: number): void {
    this.holdMs = ms;
  }

  readAll(paths: readonly string[], maxBytes: number): Promise<Array<string | null>> {
    this.wait();
    return this.real.readAll(paths, maxBytes);
  }

  readAllTimed(paths: readonly string[], maxBytes: number, clock: () => number): Promise<TimedTexts> {
    this.wait();
    return this.real.readAllTimed(paths, maxBytes, clock);
  }

  private wait(): void {
    this.clock.advance(this.holdMs);
    this.holdMs = 0;
  }
}
