import { mapBounded, readSmallFile, readSmallFileSync } from './proc-files.util';

/** How a sweep over many small kernel files (one per process) reads them. */
export interface SweepReader {
  /** The text of each path, in order; null for one that cannot be read. */
  readAll(paths: readonly string[], maxBytes: number): Promise<Array<string | null>>;
  /** Like readAll, with the time by `clock` at which each file's read returned: a rate per file runs from read to read. */
  readAllTimed(paths: readonly string[], maxBytes: number, clock: () => number): Promise<TimedTexts>;
}

export interface TimedTexts {
  texts: Array<string | null>;
  readAt: number[];
}

/**
 * Blocking reads in slices of `sliceSize` files, handing the event loop back
 * between slices. Each asynchronous read of a /proc/<pid>/stat costs three
 * trips through libuv's thread pool (open, read, close), mostly waking
 * threads; the blocking read costs only its three system calls, a fraction of
 * that (libs/collector/bench/README.md). A slice of 16 holds the loop far
 * below what a timer or a socket would notice, and procfs answers stat reads
 * from memory without waiting on a disk or on the process read.
 */
export class SlicedSyncReader implements SweepReader {
  constructor(
    private readonly sliceSize = 16,
    private readonly yieldToLoop: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  ) {}

  async readAll(paths: readonly string[], maxBytes: number): Promise<Array<string | null>> {
    return (await this.sweep(paths, maxBytes, null)).texts;
  }

  readAllTimed(paths: readonly string[], maxBytes: number, clock: () => number): Promise<TimedTexts> {
    return this.sweep(paths, maxBytes, clock);
  }

  private async sweep(paths: readonly string[], maxBytes: number, clock: (() => number) | null): Promise<TimedTexts> {
    const buffer = Buffer.allocUnsafe(maxBytes);
    const texts: Array<string | null> = [];
    const readAt: number[] = [];
    for (let start = 0; start < paths.length; start += this.sliceSize) {
      if (start > 0) await this.yieldToLoop();
      for (const path of paths.slice(start, start + this.sliceSize)) {
        texts.push(readSmallFileSync(path, buffer));
        if (clock !== null) readAt.push(clock());
      }
    }
    return { texts, readAt };
  }
}

/** Every read through libuv's thread pool, at most `concurrency` at once: never blocks, costs more CPU. */
export class AsyncReader implements SweepReader {
  constructor(private readonly concurrency = 16) {}

  readAll(paths: readonly string[], maxBytes: number): Promise<Array<string | null>> {
    return mapBounded(paths, this.concurrency, (path) => readSmallFile(path, maxBytes));
  }

  async readAllTimed(paths: readonly string[], maxBytes: number, clock: () => number): Promise<TimedTexts> {
    const readAt = new Array<number>(paths.length);
    // Timed when the result reaches the event loop, the closest this way of reading gets.
    const texts = await mapBounded(paths, this.concurrency, async (path, i) => {
      const text = await readSmallFile(path, maxBytes);
      readAt[i] = clock();
      return text;
    });
    return { texts, readAt };
  }
}
