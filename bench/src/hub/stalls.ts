import * as fs from 'node:fs';
import { max, mean, median } from '../lib/stats';

/** An ack slower than this misses the hub's target at the 99th percentile. */
export const SLOW_ACK_MS = 100;

/** A full collection's marking runs for a while before its pause, well within this, and the backlog drains after it. */
const NEAR_BEFORE_MS = 1000;
const NEAR_AFTER_MS = 2000;

export interface Collection {
  /** When its pause began, ms since the epoch. */
  at: number;
  pauseMs: number;
  kind: 'full' | 'young';
}

/** What held the hub's main thread in a window, beside the acks that came back late. */
export interface Stalls {
  fullCollections: number;
  fullPauseMaxMs: number;
  youngCollections: number;
  youngPauseMeanMs: number;
  youngPauseMaxMs: number;
  /** Of each second's longest event-loop delay: the median and the largest. */
  loopDelayPerSecondMs: { p50: number; max: number };
  slowAcks: number;
  /** Slow acks that came back from 1 s before a full collection's pause began to 2 s after it ended. */
  slowAcksNearFullCollection: number;
}

/** The hub's collections as collections.preload wrote them; none when the file is missing. */
export function readCollections(file: string): Collection[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { collections: Array<[number, number, 'full' | 'young']> };
    return parsed.collections.map(([at, pauseMs, kind]) => ({ at, pauseMs, kind }));
  } catch {
    return [];
  }
}

/**
 * Sums up one window [fromMs, toMs]: `loopDelayPerSecondMs` holds the
 * longest delay of each second that ended in it, `slowAcks` each ack over
 * SLOW_ACK_MS as [when it came back, its latency].
 */
export function summariseStalls(
  collections: readonly Collection[],
  loopDelayPerSecondMs: readonly number[],
  slowAcks: ReadonlyArray<readonly [number, number]>,
  fromMs: number,
  toMs: number,
): Stalls {
  const inWindow = collections.filter((c) => c.at >= fromMs && c.at <= toMs);
  const full = inWindow.filter((c) => c.kind === 'full');
  const young = inWindow.filter((c) => c.kind === 'young').map((c) => c.pauseMs);
  // A collection just outside the window can still have slowed acks inside it.
  const fullAround = collections.filter((c) => c.kind === 'full');
  const nearFull = (at: number) => fullAround.some((c) => at >= c.at - NEAR_BEFORE_MS && at <= c.at + c.pauseMs + NEAR_AFTER_MS);
  const slow = slowAcks.filter(([at]) => at >= fromMs && at <= toMs);
  return {
    fullCollections: full.length,
    fullPauseMaxMs: max(full.map((c) => c.pauseMs)),
    youngCollections: young.length,
    youngPauseMeanMs: mean(young),
    youngPauseMaxMs: max(young),
    loopDelayPerSecondMs: { p50: median(loopDelayPerSecondMs), max: max(loopDelayPerSecondMs) },
    slowAcks: slow.length,
    slowAcksNearFullCollection: slow.filter(([at]) => nearFull(at)).length,
  };
}
