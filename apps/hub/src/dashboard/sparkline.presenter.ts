/** A percentage over time, drawn as a small inline SVG line. */
export interface SparklineView {
  /** False with fewer than one value: then nothing is drawn. */
  hasPoints: boolean;
  /** Size on the page, in CSS pixels. */
  width: number;
  height: number;
  /** The drawing's own coordinates: one unit per sample across, one per percent up. */
  viewBox: string;
  /** The polyline's `points`: numbers only, so nothing a host sent can reach the attribute. */
  points: string;
  /** What the line shows, for screen readers and the tooltip. */
  label: string;
}

export const SPARKLINE_WIDTH = 60;
export const SPARKLINE_HEIGHT = 16;
/** The top of the drawing, in percent: the y axis runs from 100 down to 0. */
const TOP = 100;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function clamp(value: number): number {
  return value < 0 ? 0 : value > TOP ? TOP : value;
}

/**
 * Draws the values, oldest first, in whole units: sample i at x = i, a value
 * v at y = 100 - v, and the SVG stretches that box to the sparkline's size
 * (the stroke keeps its width, see style.css). Whole numbers keep a row of
 * the host list short; at 16 px high a percent is finer than a pixel. A
 * single value draws a flat line so it still shows.
 */
export function presentSparkline(values: ReadonlyArray<number | null>, label: string, width = SPARKLINE_WIDTH, height = SPARKLINE_HEIGHT): SparklineView {
  let points = '';
  let count = 0;
  let last = 0;
  for (const value of values) {
    // An unmeasured value is left out: the line joins its neighbours rather than dipping to zero.
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    last = clamp(value);
    points += `${count === 0 ? '' : ' '}${count},${TOP - Math.round(last)}`;
    count += 1;
  }
  if (count === 0) return { hasPoints: false, width, height, viewBox: `0 0 1 ${TOP}`, points: '', label };
  if (count === 1) points += ` 1,${TOP - Math.round(last)}`;
  return {
    hasPoints: true,
    width,
    height,
    viewBox: `0 0 ${Math.max(1, count - 1)} ${TOP}`,
    points,
    label: `${label}, last ${count} samples, now ${round(last)} %`,
  };
}
