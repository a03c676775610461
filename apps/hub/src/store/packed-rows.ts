import type { HistoryRow, LatestRow } from './sqlite-history.repository';
import type { SeriesUnit } from './series';

/**
 * A batch of history rows as it crosses to the history thread. Cloned as
 * rows, a batch was some 30 small objects and 60 strings per snapshot, and
 * posting it took ~40 us of the hub's main thread per snapshot at 10,000
 * agents (4 % of its wall time, from a CPU profile). Packed, the numbers
 * are one Float64Array that is moved, not copied, and each series name
 * crosses once per batch.
 */
export interface PackedHistoryRows {
  hostIds: string[];
  /** The batch's distinct series; points refer to them by index. */
  names: string[];
  units: SeriesUnit[];
  /** Per row, in order: seq, ts, its number of points, then a series index and a value per point. */
  numbers: Float64Array;
  /** Per row, its registry latest, or null; a deflated one in an ArrayBuffer of its own, to be moved too. */
  latest: Array<LatestRow | null>;
}

/** The fields that precede a row's points in `numbers`. */
const ROW_HEADER = 3;

/** Gathers rows into one PackedHistoryRows. */
export class HistoryRowsPacker {
  private readonly hostIds: string[] = [];
  private readonly latest: Array<LatestRow | null> = [];
  private readonly names: string[] = [];
  private readonly units: SeriesUnit[] = [];
  private readonly seriesIndex = new Map<string, number>();
  private numbers = new Float64Array(1024);
  private length = 0;

  get rowCount(): number {
    return this.hostIds.length;
  }

  add(row: HistoryRow): void {
    this.hostIds.push(row.hostId);
    const latest = row.latest ?? null;
    // A copy of its own: a view into a socket read would pin that read, and crossing threads would copy all of it.
    // Not .slice(), which on a Buffer (as a socket gives it) is one more view of the same memory.
    this.latest.push(latest && typeof latest.stored !== 'string' ? { ...latest, stored: new Uint8Array(latest.stored) } : latest);
    this.reserve(ROW_HEADER + 2 * row.points.length);
    this.put(row.seq);
    this.put(row.ts);
    this.put(row.points.length);
    for (const point of row.points) {
      let index = this.seriesIndex.get(point.name);
      if (index === undefined) {
        index = this.names.length;
        this.seriesIndex.set(point.name, index);
        this.names.push(point.name);
        this.units.push(point.unit);
      }
      this.put(index);
      this.put(point.value);
    }
  }

  /** The rows added so far; `numbers` is a buffer of its own, to be moved to the other thread. */
  pack(): PackedHistoryRows {
    return { hostIds: this.hostIds, names: this.names, units: this.units, numbers: this.numbers.slice(0, this.length), latest: this.latest };
  }

  private put(value: number): void {
    this.numbers[this.length++] = value;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.numbers.length) return;
    const grown = new Float64Array(Math.max(this.numbers.length * 2, this.length + count));
    grown.set(this.numbers.subarray(0, this.length));
    this.numbers = grown;
  }
}

/** The buffers of a packed batch that move to the other thread rather than being copied. */
export function transferablesOf(packed: PackedHistoryRows): ArrayBuffer[] {
  const buffers = [packed.numbers.buffer as ArrayBuffer];
  for (const latest of packed.latest) if (latest && typeof latest.stored !== 'string') buffers.push(latest.stored.buffer as ArrayBuffer);
  return buffers;
}

export function unpackRows(packed: PackedHistoryRows): HistoryRow[] {
  const { hostIds, names, units, numbers, latest } = packed;
  const rows: HistoryRow[] = [];
  let at = 0;
  for (const [index, hostId] of hostIds.entries()) {
    const seq = numbers[at];
    const ts = numbers[at + 1];
    const count = numbers[at + 2];
    at += ROW_HEADER;
    const points = new Array<HistoryRow['points'][number]>(count);
    for (let i = 0; i < count; i += 1, at += 2) {
      const series = numbers[at];
      points[i] = { name: names[series], unit: units[series], value: numbers[at + 1] };
    }
    rows.push({ hostId, seq, ts, points, latest: latest[index] ?? null });
  }
  return rows;
}
