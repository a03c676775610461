import * as fs from 'node:fs';

/**
 * What the monitoring preloads write: per window, when it ended (ms since the
 * epoch), then its figures (loop-delay.preload: the longest delay;
 * longest-task.preload: the longest task in wall time, then in CPU time).
 */
interface Windows {
  windowMs: number;
  /** longest-task.preload: whose CPU time its CPU column is, 'main thread' or 'process'. */
  cpuClock?: string;
  windows: number[][];
}

/** One figure (by its column) of every window that ended between fromMs and toMs; none when the file is missing. */
export function readWindows(file: string, fromMs: number, toMs: number, column = 1): number[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Windows;
    return parsed.windows.filter(([at]) => at > fromMs && at <= toMs).map((window) => window[column]);
  } catch {
    return [];
  }
}

/** Whose CPU time a longest-task file's CPU column is; null when the file is missing or does not say. */
export function readCpuClock(file: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as Windows).cpuClock ?? null;
  } catch {
    return null;
  }
}
