import * as fs from 'node:fs';

// Reading many /proc/<pid>/stat files, fs.promises.readFile and FileHandles cost
// several times the CPU of the callback API with one read into a small buffer,
// which is as cheap as readFileSync without blocking the event loop.
// Kernel-generated files report a size of 0, so readFile also pays for an fstat
// and a second read to find the end. Hence the callback API here.

/**
 * The text of a small kernel-generated file (a /proc/<pid>/stat, a sysfs
 * attribute), from a single read of at most `maxBytes`, so a longer file comes
 * back cut; null when it cannot be read (the process ended, no permission, the
 * attribute is not supported).
 */
export async function readSmallFile(path: string, maxBytes = 1024): Promise<string | null> {
  return (await readOnce(path, maxBytes))?.text ?? null;
}

function readOnce(path: string, maxBytes: number): Promise<{ text: string; filled: boolean } | null> {
  return new Promise((resolve) => {
    fs.open(path, 'r', (openError, fd) => {
      if (openError !== null) {
        resolve(null);
        return;
      }
      const buffer = Buffer.allocUnsafe(maxBytes);
      fs.read(fd, buffer, 0, maxBytes, 0, (readError, bytesRead) => {
        // Nothing waits for the close: the text is already in hand.
        fs.close(fd, () => undefined);
        resolve(readError === null ? { text: buffer.toString('utf8', 0, bytesRead), filled: bytesRead === maxBytes } : null);
      });
    });
  });
}

/**
 * Like readSmallFile, but blocking: for sweeps over many tiny files, read a
 * few at a time between turns of the event loop (see SlicedReader).
 */
export function readSmallFileSync(path: string, buffer: Buffer): string | null {
  let fd: number | null = null;
  try {
    fd = fs.openSync(path, 'r');
    const bytesRead = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The whole text of a kernel table read every sample (/proc/stat, meminfo,
 * net/dev, diskstats): one read when it fits `expectedBytes`, as it nearly
 * always does, else the whole file the slower way.
 */
export async function readKernelTable(path: string, expectedBytes = 16 * 1024): Promise<string | null> {
  const once = await readOnce(path, expectedBytes);
  if (once === null || !once.filled) return once?.text ?? null;
  return readTextFile(path);
}

/** A counter table's text (null when it cannot be read) and when it was read. */
export interface TimedText {
  text: string | null;
  at: number;
}

/**
 * The whole text of a counter table (/proc/net/dev, /proc/diskstats) from
 * blocking reads, with `clock` taken the moment the last read returns. A rate
 * is only as exact as the time its counters were read at: a read through
 * libuv's thread pool lands in the event loop after whatever else the sample
 * is doing, which on a busy machine moved a 1 s rate by several percent. Such
 * a table is a few hundred bytes, and reading it this way costs less CPU than
 * the pool's three trips (libs/collector/bench/README.md).
 */
export function readCounterTableSync(path: string, clock: () => number, buffer: Buffer = Buffer.allocUnsafe(16 * 1024)): TimedText {
  let fd: number | null = null;
  try {
    fd = fs.openSync(path, 'r');
    // procfs fills a read as far as it can, so a short read is the end: nearly always the first.
    const first = fs.readSync(fd, buffer, 0, buffer.length, null);
    if (first < buffer.length) return { text: buffer.toString('utf8', 0, first), at: clock() };
    const chunks = [Buffer.from(buffer)];
    for (let bytesRead = first; bytesRead > 0;) {
      bytesRead = fs.readSync(fd, buffer, 0, buffer.length, null);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), at: clock() };
  } catch {
    return { text: null, at: clock() };
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** The whole text of a file of any size (a mount table, /etc/passwd), or null when it cannot be read. */
export function readTextFile(path: string): Promise<string | null> {
  return new Promise((resolve) => {
    fs.readFile(path, 'utf8', (error, text) => resolve(error === null ? text : null));
  });
}

/** The names in a directory; none when it cannot be listed. */
export function listDirectory(path: string): Promise<string[]> {
  return new Promise((resolve) => {
    fs.readdir(path, (error, names) => resolve(error === null ? names : []));
  });
}

/**
 * `fn` over every item with at most `limit` calls pending at once, results in
 * item order. Thousands of reads queued at once would fill libuv's thread pool
 * and hold up every other file access of the process until they drain.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A kernel attribute that holds one integer (`1000`, `-1`, `48250`); null when absent or not a number. */
export function parseInteger(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : null;
}

/** The owner of a file or directory, or null when it cannot be looked at. */
export function ownerOf(path: string): Promise<number | null> {
  return new Promise((resolve) => {
    fs.stat(path, (error, stats) => resolve(error === null ? stats.uid : null));
  });
}

/** The bytes of a file, or null when it cannot be read. */
export function readBinaryFile(path: string): Promise<Buffer | null> {
  return new Promise((resolve) => {
    fs.readFile(path, (error, data) => resolve(error === null ? data : null));
  });
}
