import type Database from 'better-sqlite3';

/**
 * History keeps one row per host and time, not one per series: a snapshot's
 * ~30 values are packed into a blob, each series of a host at a fixed slot.
 * Writing a snapshot then touches one page of the table instead of one page
 * per series, which is what lets a hub write a thousand snapshots a second.
 *
 * A raw blob holds one float64 per slot, NaN where the snapshot had no value.
 * A rolled blob (the 1m and 1h tiers) holds four float64 per slot: avg, min,
 * max and count, count 0 where the bucket had no value. Both little-endian,
 * so a file moves between machines.
 */
const BYTES = 8;
const ROLLED_FIELDS = 4;

export function packRaw(values: ReadonlyArray<readonly [slot: number, value: number]>): Buffer {
  let slots = 0;
  for (const [slot] of values) slots = Math.max(slots, slot + 1);
  const blob = Buffer.alloc(slots * BYTES);
  for (let slot = 0; slot < slots; slot++) blob.writeDoubleLE(NaN, slot * BYTES);
  for (const [slot, value] of values) blob.writeDoubleLE(value, slot * BYTES);
  return blob;
}

/** The slot's value, or null when the row has none. */
export function rawValue(blob: Buffer | null, slot: number): number | null {
  if (!blob || (slot + 1) * BYTES > blob.length) return null;
  const value = blob.readDoubleLE(slot * BYTES);
  return Number.isNaN(value) ? null : value;
}

export interface RolledValue {
  avg: number;
  min: number;
  max: number;
  count: number;
}

/** The slot's summary, or null when the bucket has no value for it. */
export function rolledValue(blob: Buffer | null, slot: number): RolledValue | null {
  const at = slot * ROLLED_FIELDS * BYTES;
  if (!blob || at + ROLLED_FIELDS * BYTES > blob.length) return null;
  const count = blob.readDoubleLE(at + 3 * BYTES);
  if (!(count > 0)) return null;
  return { avg: blob.readDoubleLE(at), min: blob.readDoubleLE(at + BYTES), max: blob.readDoubleLE(at + 2 * BYTES), count };
}

/** Sums per slot, from which a rolled blob is made. */
class Rollup {
  private readonly sum: number[] = [];
  private readonly min: number[] = [];
  private readonly max: number[] = [];
  private readonly count: number[] = [];

  add(slot: number, value: RolledValue): void {
    if (!(this.count[slot]! > 0)) {
      this.sum[slot] = 0;
      this.min[slot] = Infinity;
      this.max[slot] = -Infinity;
      this.count[slot] = 0;
    }
    this.sum[slot] = this.sum[slot]! + value.avg * value.count;
    this.min[slot] = Math.min(this.min[slot]!, value.min);
    this.max[slot] = Math.max(this.max[slot]!, value.max);
    this.count[slot] = this.count[slot]! + value.count;
  }

  addRaw(blob: Buffer | null): void {
    const slots = blob ? blob.length / BYTES : 0;
    for (let slot = 0; slot < slots; slot++) {
      const value = rawValue(blob, slot);
      if (value !== null) this.add(slot, { avg: value, min: value, max: value, count: 1 });
    }
  }

  addRolled(blob: Buffer | null): void {
    const slots = blob ? blob.length / (ROLLED_FIELDS * BYTES) : 0;
    for (let slot = 0; slot < slots; slot++) {
      const value = rolledValue(blob, slot);
      if (value !== null) this.add(slot, value);
    }
  }

  toBlob(): Buffer {
    const blob = Buffer.alloc(this.count.length * ROLLED_FIELDS * BYTES);
    for (let slot = 0; slot < this.count.length; slot++) {
      const count = this.count[slot] ?? 0;
      if (!(count > 0)) continue;
      const at = slot * ROLLED_FIELDS * BYTES;
      blob.writeDoubleLE(this.sum[slot]! / count, at);
      blob.writeDoubleLE(this.min[slot]!, at + BYTES);
      blob.writeDoubleLE(this.max[slot]!, at + 2 * BYTES);
      blob.writeDoubleLE(count, at + 3 * BYTES);
    }
    return blob;
  }
}

/**
 * Teaches a connection to read and summarise slot blobs in SQL, so queries,
 * rollups and migrations stay single statements:
 * - raw_value(vals, slot), rolled_avg|min|max|count(vals, slot): one slot's value;
 * - roll_raw(vals), roll_rolled(vals): aggregates that summarise raw or rolled rows into a rolled blob;
 * - pack_raw(slot, value), pack_rolled(slot, avg, min, max, count): aggregates that
 *   build blobs from one row per slot (the layout before slots).
 */
export function registerSlotFunctions(db: Database.Database): void {
  // The typings know only two-argument steps; SQLite passes each SQL argument.
  const aggregate = (name: string, options: { start: () => unknown; step: (...args: never[]) => unknown; result: (total: never) => unknown }) =>
    db.aggregate(name, { deterministic: true, ...options } as unknown as Database.AggregateOptions);
  const blobArg = (value: unknown): Buffer | null => (Buffer.isBuffer(value) ? value : null);
  const fn = { deterministic: true };
  db.function('raw_value', fn, (vals: unknown, slot: unknown) => rawValue(blobArg(vals), Number(slot)));
  for (const field of ['avg', 'min', 'max', 'count'] as const) {
    db.function(`rolled_${field}`, fn, (vals: unknown, slot: unknown) => rolledValue(blobArg(vals), Number(slot))?.[field] ?? null);
  }
  aggregate('roll_raw', {
    start: () => new Rollup(),
    step: (rollup: Rollup, vals: unknown) => (rollup.addRaw(blobArg(vals)), rollup),
    result: (rollup: Rollup) => rollup.toBlob(),
  });
  aggregate('roll_rolled', {
    start: () => new Rollup(),
    step: (rollup: Rollup, vals: unknown) => (rollup.addRolled(blobArg(vals)), rollup),
    result: (rollup: Rollup) => rollup.toBlob(),
  });
  aggregate('pack_raw', {
    start: () => [] as Array<[number, number]>,
    step: (values: Array<[number, number]>, slot: unknown, value: unknown) => (values.push([Number(slot), Number(value)]), values),
    result: (values: Array<[number, number]>) => packRaw(values),
  });
  aggregate('pack_rolled', {
    start: () => new Rollup(),
    step: (rollup: Rollup, slot: unknown, avg: unknown, min: unknown, max: unknown, count: unknown) => (
      rollup.add(Number(slot), { avg: Number(avg), min: Number(min), max: Number(max), count: Number(count) }),
      rollup
    ),
    result: (rollup: Rollup) => rollup.toBlob(),
  });
}
