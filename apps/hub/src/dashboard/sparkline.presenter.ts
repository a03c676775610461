/** A percentage over time, drawn as a small inline SVG line. */
export interface SparklineView {
  /** False with fewer than one value: then nothing is drawn. */
  hasPoints: boolean;
  width: number;
  height: number;
  /** The polyline's `points`: numbers only, so nothing a host sent can reach the attribute. */
  points: string;
  /** What the line shows, for screen readers and the tooltip. */
  label: string;
}

export const SPARKLINE_WIDTH = 60;
export const SPARKLINE_HEIGHT = 16;
/** Keeps the stroke inside the box at 0 % and 100 %. */
const PADDING = 1;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Spreads the values, oldest first, across the width; 0..100 maps to the
 * height, bottom to top. A single value draws a flat line so it still shows.
 */
export function presentSparkline(
  values: ReadonlyArray<number | null>,
  label: string,
  width = SPARKLINE_WIDTH,
  height = SPARKLINE_HEIGHT,
): SparklineView {
  // An unmeasured value is left out: the line joins its neighbours rather than dipping to zero.
  const finite = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (finite.length === 0) return { hasPoints: false, width, height, points: '', label };
  const series = finite.length === 1 ? [finite[0] as number, finite[0] as number] : finite;
  const step = width / (series.length - 1);
  const span = height - 2 * PADDING;
  const points = series.map((value, index) => {
    const clamped = Math.min(100, Math.max(0, value));
    return `${round(index * step)},${round(PADDING + span - (clamped / 100) * span)}`;
  });
  const last = Math.min(100, Math.max(0, finite[finite.length - 1] as number));
  return { hasPoints: true, width, height, points: points.join(' '), label: `${label}, last ${finite.length} samples, now ${round(last)} %` };
}
