import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import Database from 'better-sqlite3';
import type { Retention } from '../core/retention';
import { HISTORY_MIGRATIONS } from './history.migrations';
import { extractSeries, type SeriesPoint, type SeriesUnit } from './series';
import { packRaw, registerSlotFunctions } from './slot-values';
import type { Clock } from '../core/clock';
import type { HistoryQuery, HistoryRepository, HistoryResult, HistoryTier, MetricInfo } from './history.repository';
import type { HostRegistration, HostRegistryRepository, LatestWrite, RegisteredHost } from './host-registry.repository';

export const HISTORY_FILE = 'history.sqlite';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Where the store schedules its background work; the hub's timers fit it, and tests pass ones that never fire. */
export interface IntervalScheduler {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SqliteHistoryOptions {
  /** The database file; created with its directory when missing. */
  file: string;
  retention: Retention;
  clock: Clock;
  scheduler: IntervalScheduler;
  /** How often compaction and pruning run. */
  compactEveryMs?: number;
  /** A flush writes at once when this many snapshots are queued, instead of waiting for its window to close. */
  maxBatch?: number;
  /**
   * How long the first queued snapshot waits for others to share its commit.
   * A commit costs CPU and an fsync; a thousand snapshots a second spread
   * evenly would otherwise mean nearly as many commits.
   */
  commitWindowMs?: number;
  /**
   * The longest a background transaction runs before it commits and lets
   * writes in. Its commit then writes a page per host it rolled up, so a
   * slice holds its thread about twice this long.
   */
  sliceMs?: number;
  /** Rows one background statement deletes at most. */
  deleteChunk?: number;
  /** How long a write waits for another connection's lock before it fails. */
  busyTimeoutMs?: number;
}

/**
 * What history keeps of one snapshot: who sent it, when, and its series;
 * `latest`, when the snapshot becomes its host's latest in the registry.
 */
export interface HistoryRow {
  hostId: string;
  seq: number;
  ts: number;
  points: readonly SeriesPoint[];
  latest?: LatestRow | null;
}

/**
 * What the registry stores of a LatestWrite: `stored` is its raw deflate
 * when the writer had one, else its JSON text, never both, so that a batch
 * carries to the store's thread only the bytes it commits.
 */
export interface LatestRow extends Omit<LatestWrite, 'json' | 'deflated'> {
  stored: string | Uint8Array;
}

export function historyRowOf(snapshot: Snapshot, latest: LatestWrite | null = null, series: readonly SeriesPoint[] = extractSeries(snapshot)): HistoryRow {
  return { hostId: snapshot.hostId, seq: snapshot.seq, ts: snapshot.ts, points: series, latest: latest && latestRowOf(latest) };
}

function latestRowOf({ json, deflated, summary, lastSeen, intervalMs }: LatestWrite): LatestRow {
  return { stored: deflated ?? json, summary, lastSeen, intervalMs };
}

interface RegistryRow {
  host_id: string;
  first_seen: number;
  last_seen: number | null;
  interval_ms: number;
  agent_version: string | null;
  facts: string | null;
  /** The latest's JSON, or its raw deflate when it was written so (LatestWrite.deflated). */
  latest: string | Buffer | null;
  summary: string | null;
}

interface Pending {
  row: HistoryRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface RollupState {
  rolled_until: number;
  dirty_from: number | null;
  busy_from: number | null;
}

type RolledTier = Exclude<HistoryTier, 'raw'>;

/** A tier that is summarised from a finer one: its bucket size, and its source. */
const ROLLUPS: ReadonlyArray<{ tier: RolledTier; bucketMs: number; windowMs: number }> = [
  // Windows bound one statement's work: an hour of raw is at most 3600 rows at a 1 s interval.
  { tier: '1m', bucketMs: MINUTE, windowMs: HOUR },
  { tier: '1h', bucketMs: HOUR, windowMs: 24 * HOUR },
];

const RESOLUTION: Record<HistoryTier, number> = { raw: 0, '1m': MINUTE, '1h': HOUR };
const QUERY_TIERS: readonly HistoryTier[] = ['raw', '1m', '1h'];

const floorTo = (ts: number, step: number) => Math.floor(ts / step) * step;

/** One series of one host (@host, @slot) in each tier, as rows of (ts, value) or (ts, avg, count). */
const RAW = `(SELECT ts, raw_value(vals, @slot) AS value FROM raw_rows WHERE host = @host AND raw_value(vals, @slot) IS NOT NULL)`;
const ROLLED = (tier: RolledTier) =>
  `(SELECT ts, rolled_avg(vals, @slot) AS avg, rolled_count(vals, @slot) AS count FROM rolled_${tier} WHERE host = @host AND rolled_count(vals, @slot) > 0)`;

/**
 * The rows each tier answers a query from, as (ts, avg, count). A summarised
 * tier only holds buckets that are complete; the minutes and hours after its
 * rolled_until are summarised here from the finer tiers, so a chart reaches
 * the newest sample whatever tier it reads.
 */
const SOURCES: Record<HistoryTier, string> = {
  raw: `SELECT ts, value AS avg, 1 AS count FROM ${RAW} WHERE ts >= @from AND ts <= @to`,
  // The parts never share a ts (a tail minute starts at or after r1m), so no grouping over the whole range is needed.
  '1m': `
    SELECT ts, avg, count FROM ${ROLLED('1m')}
      WHERE ts >= @from AND ts <= @to AND ts < @r1m
    UNION ALL
    SELECT max((ts / ${MINUTE}) * ${MINUTE}, @from), avg(value), count(*) FROM ${RAW}
      WHERE ts >= max(@from, @r1m) AND ts <= @to
      GROUP BY ts / ${MINUTE}`,
  // Only the tail is grouped: the hour that holds r1m has rows both in 1m and in raw.
  '1h': `
    SELECT ts, avg, count FROM ${ROLLED('1h')}
      WHERE ts >= @from AND ts <= @to AND ts < @r1h
    UNION ALL
    SELECT ts, sum(avg * count) / sum(count), sum(count) FROM (
      SELECT max((ts / ${HOUR}) * ${HOUR}, @from) AS ts, avg, count FROM ${ROLLED('1m')}
        WHERE ts >= max(@from, @r1h) AND ts <= @to AND ts < @r1m
      UNION ALL
      SELECT max((ts / ${HOUR}) * ${HOUR}, @from) AS ts, value AS avg, 1 AS count FROM ${RAW}
        WHERE ts >= max(@from, @r1m) AND ts <= @to
    ) GROUP BY ts`,
};

/**
 * History, and the host registry beside it, in a SQLite file in the data
 * directory. The registry shares the file so that a snapshot's latest row is
 * committed with its history: no second commit, and no second fsync, per
 * batch. The hub runs it on a
 * thread of its own (WorkerHistoryRepository), which gathers snapshots on
 * the main thread and hands each batch to write(); append() is the same
 * group commit for a store used in-process.
 *
 * Writes: append() queues a snapshot; one flush per commit window (10 ms
 * from the first queued snapshot, or a full batch) writes every queued
 * snapshot in one transaction and only then resolves them all, so an ack
 * costs one commit shared by every agent that sent in that window. synchronous=FULL makes that commit durable across power
 * loss, not only a crash of the hub: an ack promises the agent it may drop
 * the snapshot, and WAL with NORMAL could lose the last commits. With group
 * commit the extra fsync is paid once per batch, not per snapshot.
 *
 * Background: a timer rolls completed raw minutes into 1m buckets and
 * completed 1m hours into 1h buckets, re-rolls buckets that late data
 * touched, and prunes every tier past its retention, in slices of a few ms
 * with a turn of the event loop between them, so writes never wait long.
 */
export class SqliteHistoryRepository implements HistoryRepository, HostRegistryRepository, OnApplicationShutdown {
  private readonly logger = new Logger('HistoryStore');
  private readonly db: Database.Database;
  private readonly maxBatch: number;
  private readonly commitWindowMs: number;
  private readonly sliceMs: number;
  private readonly deleteChunk: number;
  private readonly timer: unknown;

  private pending: Pending[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private maintenance: Promise<void> | null = null;
  private maintenanceAgain = false;
  private closed: Promise<void> | null = null;
  /** Raw points older than this are refused: their minute may already be summarised from raw that is gone. */
  private rawAcceptFrom: number;

  private readonly hostIds = new Map<string, number>();
  /** Per host row id: each series name's slot in the host's rows. */
  private readonly slots = new Map<number, Map<string, number>>();

  private readonly stmt: ReturnType<SqliteHistoryRepository['prepare']>;

  constructor(private readonly options: SqliteHistoryOptions) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.commitWindowMs = options.commitWindowMs ?? 10;
    this.sliceMs = options.sliceMs ?? 5;
    this.deleteChunk = options.deleteChunk ?? 5000;

    fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
    this.db = new Database(options.file);
    try {
      registerSlotFunctions(this.db);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      // Another connection (a backup, a second reader) may hold a lock for a moment.
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      migrate(this.db);
      this.stmt = this.prepare();
      this.init();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.rawAcceptFrom = this.stmt.getPruned.get('raw') as number;
    this.timer = options.scheduler.setInterval(() => void this.compact(), options.compactEveryMs ?? 60_000);
    // Work a previous run left (a purge, a rollup cut short) resumes at once rather than a minute later.
    void this.compact();
  }

  private prepare() {
    const db = this.db;
    const rolledInsert = (tier: RolledTier, select: string) => db.prepare(`INSERT OR REPLACE INTO rolled_${tier} (host, ts, vals) ${select}`);
    return {
      findHost: db.prepare<[string], { id: number }>('SELECT id FROM hosts WHERE host_id = ?'),
      insertHost: db.prepare<[string]>('INSERT INTO hosts (host_id) VALUES (?)'),
      slotsOf: db.prepare<[number], { name: string; slot: number }>('SELECT name, slot FROM series WHERE host = ?'),
      insertSeries: db.prepare<[number, string, string, number]>('INSERT INTO series (host, name, unit, slot) VALUES (?, ?, ?, ?)'),
      insertSample: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO samples (host, seq, ts) VALUES (?, ?, ?)'),
      insertRaw: db.prepare<[number, number, Buffer]>('INSERT OR IGNORE INTO raw_rows (host, ts, vals) VALUES (?, ?, ?)'),
      markDirty: db.prepare<[{ ts: number; tier: RolledTier }]>(
        'UPDATE rollups SET dirty_from = min(coalesce(dirty_from, @ts), @ts) WHERE tier = @tier AND rolled_until > @ts',
      ),
      getRollup: db.prepare<[string], RollupState>('SELECT rolled_until, dirty_from, busy_from FROM rollups WHERE tier = ?'),
      initRollup: db.prepare<[number, string]>('UPDATE rollups SET rolled_until = ? WHERE tier = ? AND rolled_until IS NULL'),
      claimRollup: db.prepare<[number, number, string]>(
        'UPDATE rollups SET rolled_until = max(rolled_until, ?), dirty_from = NULL, busy_from = ? WHERE tier = ?',
      ),
      finishRollup: db.prepare<[string]>('UPDATE rollups SET busy_from = NULL WHERE tier = ?'),
      getPruned: db.prepare<[string], number>('SELECT before FROM pruned WHERE tier = ?').pluck(),
      setPruned: db.prepare<[number, string]>('UPDATE pruned SET before = max(before, ?) WHERE tier = ?'),
      allHosts: db.prepare<[], number>('SELECT id FROM hosts ORDER BY id').pluck(),
      roll: {
        '1m': rolledInsert(
          '1m',
          `SELECT @host, (ts / ${MINUTE}) * ${MINUTE} AS bucket, roll_raw(vals)
             FROM raw_rows WHERE host = @host AND ts >= @from AND ts < @to GROUP BY bucket`,
        ),
        '1h': rolledInsert(
          '1h',
          `SELECT @host, (ts / ${HOUR}) * ${HOUR} AS bucket, roll_rolled(vals)
             FROM rolled_1m WHERE host = @host AND ts >= @from AND ts < @to GROUP BY bucket`,
        ),
      } satisfies Record<RolledTier, Database.Statement>,
      prune: {
        raw: db.prepare<[number, number, number]>('DELETE FROM raw_rows WHERE (host, ts) IN (SELECT host, ts FROM raw_rows WHERE host = ? AND ts < ? LIMIT ?)'),
        '1m': db.prepare<[number, number, number]>(
          'DELETE FROM rolled_1m WHERE (host, ts) IN (SELECT host, ts FROM rolled_1m WHERE host = ? AND ts < ? LIMIT ?)',
        ),
        '1h': db.prepare<[number, number, number]>(
          'DELETE FROM rolled_1h WHERE (host, ts) IN (SELECT host, ts FROM rolled_1h WHERE host = ? AND ts < ? LIMIT ?)',
        ),
      } satisfies Record<HistoryTier, Database.Statement>,
      pruneSamples: db.prepare<[number, number]>('DELETE FROM samples WHERE (host, seq) IN (SELECT host, seq FROM samples WHERE ts < ? LIMIT ?)'),
      listMetrics: db.prepare<[string], MetricInfo>(
        'SELECT s.name AS name, s.unit AS unit FROM series s JOIN hosts h ON h.id = s.host WHERE h.host_id = ? ORDER BY s.name',
      ),
      findMetric: db.prepare<[string, string], { host: number; slot: number; unit: SeriesUnit }>(
        'SELECT s.host AS host, s.slot AS slot, s.unit AS unit FROM series s JOIN hosts h ON h.id = s.host WHERE h.host_id = ? AND s.name = ?',
      ),
      dropHost: db.prepare<[number]>('INSERT OR IGNORE INTO dropped_hosts (id) VALUES (?)'),
      deleteSeriesOf: db.prepare<[number]>('DELETE FROM series WHERE host = ?'),
      deleteHost: db.prepare<[number]>('DELETE FROM hosts WHERE id = ?'),
      droppedHosts: db.prepare<[], number>('SELECT id FROM dropped_hosts ORDER BY id').pluck(),
      purgeHost: {
        raw: db.prepare<[number, number]>('DELETE FROM raw_rows WHERE (host, ts) IN (SELECT host, ts FROM raw_rows WHERE host = ? LIMIT ?)'),
        '1m': db.prepare<[number, number]>('DELETE FROM rolled_1m WHERE (host, ts) IN (SELECT host, ts FROM rolled_1m WHERE host = ? LIMIT ?)'),
        '1h': db.prepare<[number, number]>('DELETE FROM rolled_1h WHERE (host, ts) IN (SELECT host, ts FROM rolled_1h WHERE host = ? LIMIT ?)'),
      } satisfies Record<HistoryTier, Database.Statement>,
      purgeSamples: db.prepare<[number, number]>('DELETE FROM samples WHERE (host, seq) IN (SELECT host, seq FROM samples WHERE host = ? LIMIT ?)'),
      forgetDroppedHost: db.prepare<[number]>('DELETE FROM dropped_hosts WHERE id = ?'),
      register: db.prepare<
        [{ host: number; firstSeen: number; lastSeen: number | null; intervalMs: number; agentVersion: string | null; facts: string | null }]
      >(
        `INSERT INTO registry (host, first_seen, last_seen, interval_ms, agent_version, facts)
           VALUES (@host, @firstSeen, @lastSeen, @intervalMs, @agentVersion, @facts)
         ON CONFLICT (host) DO UPDATE SET
           first_seen = min(first_seen, excluded.first_seen),
           last_seen = coalesce(max(last_seen, excluded.last_seen), last_seen, excluded.last_seen),
           interval_ms = excluded.interval_ms,
           agent_version = excluded.agent_version,
           facts = excluded.facts`,
      ),
      writeLatest: db.prepare<[{ host: number; lastSeen: number; intervalMs: number; json: string | Buffer; summary: string }]>(
        `INSERT INTO registry (host, first_seen, last_seen, interval_ms, latest, summary)
           VALUES (@host, @lastSeen, @lastSeen, @intervalMs, @json, @summary)
         ON CONFLICT (host) DO UPDATE SET
           last_seen = coalesce(max(last_seen, excluded.last_seen), excluded.last_seen),
           latest = excluded.latest,
           summary = excluded.summary`,
      ),
      unregister: db.prepare<[number]>('DELETE FROM registry WHERE host = ?'),
      registered: db.prepare<[], RegistryRow>(
        `SELECT h.host_id, r.first_seen, r.last_seen, r.interval_ms, r.agent_version, r.facts, r.latest, r.summary
           FROM registry r JOIN hosts h ON h.id = r.host`,
      ),
      rows: Object.fromEntries(
        QUERY_TIERS.map((tier) => [tier, db.prepare(`SELECT ts, avg FROM (${SOURCES[tier]}) ORDER BY ts LIMIT @limit`).raw()]),
      ) as Record<HistoryTier, Database.Statement>,
      buckets: Object.fromEntries(
        QUERY_TIERS.map((tier) => [
          tier,
          db
            .prepare(
              `SELECT @from + CAST((ts - @from) / @width AS INTEGER) * @width AS bucket, sum(avg * count) / sum(count)
                 FROM (${SOURCES[tier]}) GROUP BY bucket ORDER BY bucket`,
            )
            .raw(),
        ]),
      ) as Record<HistoryTier, Database.Statement>,
    };
  }

  /** A fresh file starts its rollups at the current bucket; anything older that arrives later is late data. */
  private init(): void {
    const now = this.options.clock.now();
    for (const { tier, bucketMs } of ROLLUPS) this.stmt.initRollup.run(floorTo(now, bucketMs), tier);
  }

  append(snapshot: Snapshot, latest: LatestWrite | null = null, series?: readonly SeriesPoint[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The history store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ row: historyRowOf(snapshot, latest, series), resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (this.flushTimer === null) {
        this.flushTimer = setTimeout(() => this.flush(), this.commitWindowMs);
      }
    });
  }

  /** Writes every queued snapshot in one transaction, then settles all of their promises. */
  private flush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      this.write(batch.map((entry) => entry.row));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    for (const entry of batch) entry.resolve();
  }

  /**
   * Writes the rows and registrations in one transaction at once, committed
   * when it returns; throws, having written none of them, when the
   * transaction fails. A row already stored (same host and seq) or older
   * than raw retention adds no history, but its latest is still written.
   */
  write(rows: readonly HistoryRow[], registrations: readonly HostRegistration[] = []): void {
    // Not `closed`: close() itself writes what is still queued.
    if (!this.db.open) throw new Error('The history store is closed');
    if (rows.length === 0 && registrations.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const registration of registrations) this.writeRegistration(registration);
        let earliest = Infinity;
        for (const { hostId, seq, ts, points, latest } of rows) {
          const host = this.hostRow(hostId);
          if (latest) {
            const { lastSeen, intervalMs, stored, summary } = latest;
            // A Uint8Array, as it arrives from another thread, is bound as a blob only as a Buffer.
            const json = typeof stored === 'string' ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
            this.stmt.writeLatest.run({ host, lastSeen, intervalMs, json, summary: JSON.stringify(summary) });
          }
          if (ts < this.rawAcceptFrom) continue;
          if (this.stmt.insertSample.run(host, seq, ts).changes === 0) continue;
          const values = points.map((point) => [this.slotOf(host, point), point.value] as const);
          // A sample is (host, seq), but a row is (host, ts): the first sample at a time keeps it, so a later
          // seq that reuses the time (its agent's clock set back) never overwrites another sample's values.
          if (this.stmt.insertRaw.run(host, ts, packRaw(values)).changes === 0) continue;
          earliest = Math.min(earliest, ts);
        }
        if (earliest !== Infinity) this.stmt.markDirty.run({ ts: earliest, tier: '1m' });
      })();
    } catch (error) {
      // Ids handed out inside the rolled-back transaction no longer exist.
      this.hostIds.clear();
      this.slots.clear();
      throw error;
    }
  }

  private writeRegistration(registration: HostRegistration): void {
    const { hostId, firstSeen, lastSeen, intervalMs, agentVersion, facts } = registration;
    this.stmt.register.run({ host: this.hostRow(hostId), firstSeen, lastSeen, intervalMs, agentVersion, facts: facts && JSON.stringify(facts) });
  }

  async load(): Promise<RegisteredHost[]> {
    return this.stmt.registered.all().map((row) => ({
      hostId: row.host_id,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      intervalMs: row.interval_ms,
      agentVersion: row.agent_version,
      // Written by this store from values the hub had validated: parsed, not checked again.
      facts: row.facts === null ? null : (JSON.parse(row.facts) as RegisteredHost['facts']),
      latest:
        row.latest === null || row.summary === null
          ? null
          : {
              json: typeof row.latest === 'string' ? row.latest : inflateRawSync(row.latest).toString('utf8'),
              summary: JSON.parse(row.summary) as NonNullable<RegisteredHost['latest']>['summary'],
            },
    }));
  }

  async register(host: HostRegistration): Promise<void> {
    this.write([], [host]);
  }

  private hostRow(hostId: string): number {
    const cached = this.hostIds.get(hostId);
    if (cached !== undefined) return cached;
    const id = this.stmt.findHost.get(hostId)?.id ?? Number(this.stmt.insertHost.run(hostId).lastInsertRowid);
    this.hostIds.set(hostId, id);
    return id;
  }

  /** The series' slot in the host's rows; a series the host never sent before takes the next free one. */
  private slotOf(host: number, point: SeriesPoint): number {
    let byName = this.slots.get(host);
    if (!byName) {
      byName = new Map(this.stmt.slotsOf.all(host).map(({ name, slot }) => [name, slot]));
      this.slots.set(host, byName);
    }
    const known = byName.get(point.name);
    if (known !== undefined) return known;
    const slot = byName.size;
    this.stmt.insertSeries.run(host, point.name, point.unit, slot);
    byName.set(point.name, slot);
    return slot;
  }

  async query(query: HistoryQuery): Promise<HistoryResult | null> {
    const series = this.stmt.findMetric.get(query.hostId, query.metric);
    if (!series) return null;
    const now = this.options.clock.now();
    const limit = Math.max(1, Math.floor(query.points));
    const params = {
      host: series.host,
      slot: series.slot,
      from: query.from,
      to: query.to,
      r1m: this.stmt.getRollup.get('1m')!.rolled_until,
      r1h: this.stmt.getRollup.get('1h')!.rolled_until,
    };
    // Enough buckets of this width fit in the range that there are never more than `limit`.
    const width = Math.max(1, Math.ceil((query.to - query.from + 1) / limit));
    const { retention } = this.options;
    // A tier covers the range when the range starts inside its retention; the coarsest answers whatever is left.
    const covering = QUERY_TIERS.filter((tier, i) => i === QUERY_TIERS.length - 1 || query.from >= now - retention[tier]);

    for (let i = 0; i < covering.length; i++) {
      const tier = covering[i]!;
      const coarser = covering[i + 1];
      // Buckets as wide as the next tier's would be no finer than that tier, which is cheaper to read.
      if (coarser !== undefined && width >= RESOLUTION[coarser]) continue;
      // A summarised tier has at most a row per bucket: when even that many cannot fit, it is averaged at once.
      const mayFit = tier === 'raw' || (query.to - query.from) / RESOLUTION[tier] < limit;
      const rows = mayFit ? (this.stmt.rows[tier].all({ ...params, limit: limit + 1 }) as Array<[number, number]>) : null;
      if (rows && rows.length <= limit) return { metric: query.metric, unit: series.unit, tier, points: rows };
      const points = this.stmt.buckets[tier].all({ ...params, width }) as Array<[number, number]>;
      return { metric: query.metric, unit: series.unit, tier, points };
    }
    // Unreachable: the coarsest tier always answers above.
    return { metric: query.metric, unit: series.unit, tier: '1h', points: [] };
  }

  async metrics(hostId: string): Promise<MetricInfo[]> {
    return this.stmt.listMetrics.all(hostId);
  }

  /**
   * Forgets the host at once: its names and its registry row disappear in
   * one short transaction. Its points go in the background, in chunks, as
   * they may be millions.
   */
  async deleteHost(hostId: string): Promise<void> {
    // Snapshots queued before the delete must not bring the host back afterwards.
    this.flush();
    const host = this.stmt.findHost.get(hostId);
    if (!host) return;
    this.db.transaction(() => {
      this.stmt.dropHost.run(host.id);
      this.stmt.unregister.run(host.id);
      this.stmt.deleteSeriesOf.run(host.id);
      this.stmt.deleteHost.run(host.id);
    })();
    this.hostIds.delete(hostId);
    this.slots.delete(host.id);
    void this.compact();
  }

  /**
   * Runs one round of background work: purging forgotten hosts, rolling up,
   * pruning. Resolves when it is done; a call during a round asks for another.
   */
  compact(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.maintenance) {
      this.maintenanceAgain = true;
      return this.maintenance;
    }
    const round = async (): Promise<void> => {
      do {
        this.maintenanceAgain = false;
        await this.purgeDropped();
        for (const rollup of ROLLUPS) await this.roll(rollup);
        await this.prune();
      } while (this.maintenanceAgain && !this.closed);
    };
    this.maintenance = round()
      .catch((error: unknown) => this.logger.error(`History compaction failed: ${describe(error)}`))
      .finally(() => (this.maintenance = null));
    return this.maintenance;
  }

  /** Runs the steps in transactions of about sliceMs each, yielding to the event loop between them. */
  private async sliced(steps: Iterable<() => void>): Promise<boolean> {
    const iterator = steps[Symbol.iterator]();
    let done = false;
    while (!done) {
      if (this.closed) return false;
      this.db.transaction(() => {
        const started = performance.now();
        do {
          const next = iterator.next();
          if (next.done) {
            done = true;
            return;
          }
          next.value();
        } while (performance.now() - started < this.sliceMs);
      })();
      await yieldTurn();
    }
    return true;
  }

  private async roll({ tier, bucketMs, windowMs }: (typeof ROLLUPS)[number]): Promise<void> {
    const state = this.stmt.getRollup.get(tier)!;
    const end = tier === '1m' ? floorTo(this.options.clock.now(), MINUTE) : floorTo(this.stmt.getRollup.get('1m')!.rolled_until, HOUR);
    const start = floorTo(Math.min(state.rolled_until, state.dirty_from ?? Infinity, state.busy_from ?? Infinity), bucketMs);
    const upTo = Math.max(end, state.rolled_until);
    if (start >= upTo) return;

    let hostIds: number[] = [];
    this.db.transaction(() => {
      hostIds = this.stmt.allHosts.all();
      // Claimed before the work: late data from now on is marked dirty for the next round, and a crash
      // half-way leaves busy_from, so the next run redoes the range.
      this.stmt.claimRollup.run(upTo, start, tier);
      if (tier === '1m') this.stmt.markDirty.run({ ts: start, tier: '1h' });
    })();

    const roll = this.stmt.roll[tier];
    function* steps(): Generator<() => void> {
      for (const host of hostIds) {
        for (let from = start; from < upTo; from += windowMs) {
          const to = Math.min(from + windowMs, upTo);
          yield () => roll.run({ host, from, to });
        }
      }
    }
    if (await this.sliced(steps())) this.stmt.finishRollup.run(tier);
  }

  private async prune(): Promise<void> {
    const now = this.options.clock.now();
    const { retention } = this.options;
    const oneMinute = this.stmt.getRollup.get('1m')!;
    const oneHour = this.stmt.getRollup.get('1h')!;
    // A tier is never cut above what its summary still has to read, and only at whole buckets of it,
    // so that a bucket re-rolled later finds all of its rows.
    const unrolled = (state: RollupState) => Math.min(state.rolled_until, state.dirty_from ?? Infinity, state.busy_from ?? Infinity);
    const cuts: Array<[HistoryTier, number]> = [
      ['raw', floorTo(Math.min(now - retention.raw, unrolled(oneMinute)), MINUTE)],
      ['1m', floorTo(Math.min(now - retention['1m'], unrolled(oneHour)), HOUR)],
      ['1h', floorTo(now - retention['1h'], HOUR)],
    ];
    for (const [tier, before] of cuts) {
      if (before <= (this.stmt.getPruned.get(tier) as number)) continue;
      // Recorded before cutting, so that no snapshot lands in the part already cut.
      this.stmt.setPruned.run(before, tier);
      if (tier === 'raw') this.rawAcceptFrom = Math.max(this.rawAcceptFrom, before);
      const statement = this.stmt.prune[tier];
      const chunk = this.deleteChunk;
      const hostIds = this.stmt.allHosts.all();
      const pruneSamples = this.stmt.pruneSamples;
      await this.sliced(
        (function* () {
          for (const host of hostIds) {
            let more = true;
            while (more) yield () => (more = statement.run(host, before, chunk).changes === chunk);
          }
          if (tier === 'raw') {
            let more = true;
            while (more) yield () => (more = pruneSamples.run(before, chunk).changes === chunk);
          }
        })(),
      );
    }
  }

  private async purgeDropped(): Promise<void> {
    const chunk = this.deleteChunk;
    const stmt = this.stmt;
    const hosts = stmt.droppedHosts.all();
    if (hosts.length === 0) return;
    await this.sliced(
      (function* () {
        for (const id of hosts) {
          for (const tier of QUERY_TIERS) {
            let more = true;
            while (more) yield () => (more = stmt.purgeHost[tier].run(id, chunk).changes === chunk);
          }
          let more = true;
          while (more) yield () => (more = stmt.purgeSamples.run(id, chunk).changes === chunk);
          yield () => stmt.forgetDroppedHost.run(id);
        }
      })(),
    );
  }

  /** Stops the background work, writes what is queued and closes the file. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.options.scheduler.clearInterval(this.timer);
      await this.maintenance;
      this.flush();
      this.db.close();
    })();
    return this.closed;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

/** Applies the migrations the file lacks, each in its own transaction with its version bump. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > HISTORY_MIGRATIONS.length) {
    throw new Error(`${db.name} has history schema version ${version}, newer than this hub knows (${HISTORY_MIGRATIONS.length}); upgrade the hub`);
  }
  for (let next = version; next < HISTORY_MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(HISTORY_MIGRATIONS[next]!);
      // PRAGMA takes no parameters; the value is our own integer.
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
