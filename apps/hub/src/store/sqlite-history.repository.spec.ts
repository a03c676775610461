import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Snapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';
import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import { DEFAULT_RETENTION, type Retention } from '../core/retention';
import { CapturingLogger } from '../testing/capturing-logger';
import { openHistoryReader } from '../testing/history-reader';
import { FakeClock } from '../testing/fake-clock';
import { HISTORY_MIGRATIONS } from './history.migrations';
import type { HistoryQuery, HistoryResult } from './history.repository';
import { HISTORY_FILE, SqliteHistoryRepository, type IntervalScheduler, type SqliteHistoryOptions } from './sqlite-history.repository';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Background work runs only when a test calls compact(). */
const manualScheduler: IntervalScheduler = { setInterval: () => 0, clearInterval: () => undefined };

interface Rollup {
  ts: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

describe('SqliteHistoryRepository', () => {
  const T0 = 1_764_000_000_000; // a whole hour
  let dir: string;
  let file: string;
  let clock: FakeClock;
  let sut: SqliteHistoryRepository;
  const toClose: Array<{ close(): unknown }> = [];

  function open(options: Partial<SqliteHistoryOptions> = {}): SqliteHistoryRepository {
    const store = new SqliteHistoryRepository({ file, retention: DEFAULT_RETENTION, clock, scheduler: manualScheduler, ...options });
    toClose.push(store);
    return store;
  }

  function reader(): Database.Database {
    const db = openHistoryReader(file);
    toClose.push(db);
    return db;
  }

  function rollups(tier: '1m' | '1h', metric = 'cpu', hostId = 'web-01'): Rollup[] {
    return reader()
      .prepare(
        `SELECT r.ts, rolled_avg(r.vals, s.slot) AS avg, rolled_min(r.vals, s.slot) AS min, rolled_max(r.vals, s.slot) AS max,
                rolled_count(r.vals, s.slot) AS count
           FROM rolled_${tier} r JOIN series s ON s.host = r.host JOIN hosts h ON h.id = r.host
          WHERE s.name = ? AND h.host_id = ? AND rolled_count(r.vals, s.slot) > 0 ORDER BY r.ts`,
      )
      .all(metric, hostId) as Rollup[];
  }

  function count(table: string): number {
    return reader().prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  function snap(seq: number, ts: number, cpu: number, hostId = 'web-01'): Snapshot {
    const snapshot = validSnapshot({ hostId, seq, ts });
    snapshot.cpu.usagePercent = cpu;
    return snapshot;
  }

  function query(overrides: Partial<HistoryQuery> = {}): Promise<HistoryResult | null> {
    return sut.query({ hostId: 'web-01', metric: 'cpu', from: T0, to: clock.now() + HOUR, points: 500, ...overrides });
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-history-'));
    file = path.join(dir, HISTORY_FILE);
    clock = new FakeClock(T0);
    Logger.overrideLogger(new CapturingLogger());
    sut = open();
  });

  afterEach(async () => {
    for (const item of toClose.splice(0).reverse()) await item.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('append', () => {
    it('should make an appended snapshot visible to a second connection once its promise resolves', async () => {
      await sut.append(snap(1, T0 + 1000, 42));

      const rows = reader()
        .prepare('SELECT s.name, s.unit, r.ts, raw_value(r.vals, s.slot) AS value FROM raw_rows r JOIN series s ON s.host = r.host WHERE s.name = ?')
        .all('cpu');
      expect(rows).to.deep.equal([{ name: 'cpu', unit: '%', ts: T0 + 1000, value: 42 }]);
      expect(count('samples')).to.equal(1);
    });

    it('should commit every snapshot of one commit window together and resolve them all', async () => {
      sut = open({ commitWindowMs: 50 });
      const first = sut.append(snap(1, T0 + 1000, 1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const later = [2, 3].map((seq) => sut.append(snap(seq, T0 + seq * 1000, seq)));
      // Nothing is written before the window closes: the batch is one transaction.
      const before = count('samples');

      await Promise.all([first, ...later]);

      expect(before).to.equal(0);
      expect(count('samples')).to.equal(3);
    });

    it('should write at once when a batch reaches its size limit', async () => {
      sut = open({ maxBatch: 2 });

      const first = sut.append(snap(1, T0 + 1000, 1));
      const second = sut.append(snap(2, T0 + 2000, 2));

      expect(count('samples')).to.equal(2);
      await Promise.all([first, second]);
    });

    it('should store a snapshot whose (host, seq) is already stored only once', async () => {
      await sut.append(snap(1, T0 + 1000, 10));
      await sut.append(snap(1, T0 + 1000, 99));
      await Promise.all([sut.append(snap(2, T0 + 2000, 20)), sut.append(snap(2, T0 + 2000, 77))]);

      const result = await query();

      expect(result?.points).to.deep.equal([
        [T0 + 1000, 10],
        [T0 + 2000, 20],
      ]);
      expect(count('samples')).to.equal(2);
    });

    it('should keep the first sample stored at a time when a new seq brings the same ts, in one batch or apart', async () => {
      await sut.append(snap(1, T0 + 1000, 10));
      await sut.append(snap(5, T0 + 1000, 99));
      await Promise.all([sut.append(snap(2, T0 + 2000, 20)), sut.append(snap(3, T0 + 2000, 77))]);

      const result = await query();

      expect(result?.points).to.deep.equal([
        [T0 + 1000, 10],
        [T0 + 2000, 20],
      ]);
      expect(count('raw_rows')).to.equal(2);
    });

    it('should reject every snapshot of a batch whose transaction fails, and store the next batch', async () => {
      await sut.close();
      sut = open({ busyTimeoutMs: 0 });
      // Background work started at open must not meet the lock either.
      await sut.compact();
      const locker = new Database(file);
      toClose.push(locker);
      locker.prepare('BEGIN IMMEDIATE').run();

      const outcomes = await Promise.allSettled([sut.append(snap(1, T0 + 1000, 1)), sut.append(snap(2, T0 + 2000, 2))]);
      locker.prepare('ROLLBACK').run();

      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).to.match(/locked|busy/i);
      await sut.append(snap(1, T0 + 1000, 1));
      expect((await query())?.points).to.deep.equal([[T0 + 1000, 1]]);
    });

    it('should keep every host apart', async () => {
      await sut.append(snap(1, T0 + 1000, 10, 'web-01'));
      await sut.append(snap(1, T0 + 1000, 20, 'db-01'));

      expect((await query({ hostId: 'db-01' }))?.points).to.deep.equal([[T0 + 1000, 20]]);
      expect((await query({ hostId: 'web-01' }))?.points).to.deep.equal([[T0 + 1000, 10]]);
    });
  });

  describe('metrics', () => {
    it('should list the stored metric names of a host with their units, sorted', async () => {
      await sut.append(snap(1, T0, 10));

      const metrics = await sut.metrics('web-01');

      expect(metrics.map((m) => m.name)).to.deep.equal([...metrics.map((m) => m.name)].sort());
      expect(metrics).to.deep.include({ name: 'cpu', unit: '%' });
      expect(metrics).to.deep.include({ name: 'net.rx:eth0', unit: 'bytes/s' });
      expect(metrics).to.deep.include({ name: 'memory.used', unit: 'bytes' });
      expect(await sut.metrics('nobody')).to.deep.equal([]);
    });

    it('should answer null for a metric or host it does not have', async () => {
      await sut.append(snap(1, T0, 10));

      expect(await query({ metric: 'battery' })).to.equal(null);
      expect(await query({ hostId: 'nobody' })).to.equal(null);
    });
  });

  describe('downsampling', () => {
    it('should roll completed minutes into average, min, max and count, across a minute boundary', async () => {
      // 12:00:00 .. 12:01:55 every 5 s: minute 0 holds 0..11, minute 1 holds 12..23.
      for (let i = 0; i < 24; i++) await sut.append(snap(i + 1, T0 + i * 5 * SECOND, i));
      clock.advance(2 * MINUTE);

      await sut.compact();

      expect(rollups('1m')).to.deep.equal([
        { ts: T0, avg: 5.5, min: 0, max: 11, count: 12 },
        { ts: T0 + MINUTE, avg: 17.5, min: 12, max: 23, count: 12 },
      ]);
    });

    it('should not roll the minute that is still running', async () => {
      await sut.append(snap(1, T0 + 10 * SECOND, 1));
      await sut.append(snap(2, T0 + MINUTE + 10 * SECOND, 2));
      clock.advance(MINUTE + 30 * SECOND);

      await sut.compact();

      expect(rollups('1m').map((r) => r.ts)).to.deep.equal([T0]);
    });

    it('should weigh each minute by its count when rolling hours, and keep the min of mins and max of maxes', async () => {
      // One sample of 10 in the first minute, three of 20 in the next; then one of 50 in the next hour.
      await sut.append(snap(1, T0, 10));
      await sut.append(snap(2, T0 + MINUTE, 20));
      await sut.append(snap(3, T0 + MINUTE + 10 * SECOND, 20));
      await sut.append(snap(4, T0 + MINUTE + 20 * SECOND, 20));
      await sut.append(snap(5, T0 + HOUR + 59 * MINUTE, 50));
      clock.advance(2 * HOUR + MINUTE);

      await sut.compact();

      expect(rollups('1h')).to.deep.equal([
        { ts: T0, avg: 17.5, min: 10, max: 20, count: 4 },
        { ts: T0 + HOUR, avg: 50, min: 50, max: 50, count: 1 },
      ]);
    });

    it('should roll late data into minutes and hours that were already rolled', async () => {
      await sut.append(snap(10, T0 + 10 * SECOND, 10));
      clock.advance(HOUR + 5 * MINUTE);
      await sut.compact();
      expect(rollups('1m')).to.deep.equal([{ ts: T0, avg: 10, min: 10, max: 10, count: 1 }]);

      // An agent replays what it buffered during a network cut, long after that minute was summarised.
      await sut.append(snap(11, T0 + 20 * SECOND, 30));
      await sut.append(snap(12, T0 + 30 * MINUTE, 50));
      await sut.compact();

      expect(rollups('1m')).to.deep.equal([
        { ts: T0, avg: 20, min: 10, max: 30, count: 2 },
        { ts: T0 + 30 * MINUTE, avg: 50, min: 50, max: 50, count: 1 },
      ]);
      expect(rollups('1h')).to.deep.equal([{ ts: T0, avg: 30, min: 10, max: 50, count: 3 }]);
    });

    it('should not hold up an append while it compacts', async () => {
      // Commits at once, so the append does not wait out a window the whole compaction may fit in.
      sut = open({ sliceMs: 0, commitWindowMs: 0 });
      for (let i = 0; i < 20; i++) await sut.append(snap(i + 1, T0 + i * MINUTE, i));
      clock.advance(DAY);

      let compacted = false;
      const compaction = sut.compact().then(() => (compacted = true));
      await sut.append(snap(100, clock.now(), 1));

      expect(compacted).to.equal(false);
      await compaction;
      expect(rollups('1m')).to.have.length(20);
    });
  });

  describe('retention', () => {
    const retention: Retention = { raw: 2 * HOUR, '1m': DAY, '1h': 7 * DAY };

    it('should prune each tier past its retention and keep the coarser summaries', async () => {
      sut = open({ retention });
      for (let i = 0; i < 6; i++) await sut.append(snap(i + 1, T0 + i * 10 * SECOND, 10 * i));

      clock.advance(2 * HOUR + 2 * MINUTE);
      await sut.compact();
      expect(count('raw_rows')).to.equal(0);
      expect(count('samples')).to.equal(0);
      expect(rollups('1m')).to.deep.equal([{ ts: T0, avg: 25, min: 0, max: 50, count: 6 }]);
      expect(rollups('1h')).to.have.length(1);

      clock.advance(DAY);
      await sut.compact();
      expect(rollups('1m')).to.deep.equal([]);
      expect(rollups('1h')).to.deep.equal([{ ts: T0, avg: 25, min: 0, max: 50, count: 6 }]);
      expect((await query({ from: T0, to: T0 + HOUR }))?.points).to.deep.equal([[T0, 25]]);

      clock.advance(7 * DAY);
      await sut.compact();
      expect(rollups('1h')).to.deep.equal([]);
    });

    it('should keep raw points younger than the raw retention', async () => {
      sut = open({ retention });
      await sut.append(snap(1, T0, 1));
      await sut.append(snap(2, T0 + HOUR, 2));

      clock.advance(2 * HOUR + 30 * MINUTE);
      await sut.compact();

      expect((await query({ from: T0 + 30 * MINUTE, to: clock.now() }))?.points).to.deep.equal([[T0 + HOUR, 2]]);
    });

    it('should refuse a raw point older than what raw still covers, since its minute cannot be re-rolled', async () => {
      sut = open({ retention });
      await sut.append(snap(1, T0, 1));
      clock.advance(3 * HOUR);
      await sut.compact();

      await sut.append(snap(2, T0 + 30 * SECOND, 99));
      await sut.compact();

      expect(count('raw_rows')).to.equal(0);
      expect(rollups('1m')).to.deep.equal([{ ts: T0, avg: 1, min: 1, max: 1, count: 1 }]);
    });
  });

  describe('query', () => {
    /** One sample every `everyMs` from `from` up to `to` (exclusive), cpu = minutes since T0. */
    async function fill(from: number, to: number, everyMs: number): Promise<void> {
      let seq = 1;
      for (let ts = from; ts < to; ts += everyMs) void sut.append(snap(seq++, ts, (ts - T0) / MINUTE));
      await sut.append(snap(seq, to, (to - T0) / MINUTE));
    }

    it('should answer raw points when they fit', async () => {
      await fill(T0, T0 + 10 * MINUTE, 5 * SECOND);
      clock.advance(10 * MINUTE);

      const result = await query({ from: T0, to: T0 + MINUTE });

      expect(result?.tier).to.equal('raw');
      expect(result?.unit).to.equal('%');
      expect(result?.points).to.have.length(13);
      expect(result?.points[0]).to.deep.equal([T0, 0]);
    });

    it('should average raw points into at most `points` buckets when the buckets are finer than a minute', async () => {
      await fill(T0, T0 + HOUR, 5 * SECOND);
      clock.advance(HOUR);

      const result = await query({ from: T0, to: T0 + HOUR, points: 100 });

      expect(result?.tier).to.equal('raw');
      expect(result?.points.length).to.be.at.most(100).and.at.least(95);
      const [ts, value] = result!.points[0]!;
      expect(ts).to.equal(T0);
      // The first 36.01 s bucket holds the samples at 0..35 s: all in minute 0.
      expect(value).to.be.closeTo((0 + 5 + 10 + 15 + 20 + 25 + 30 + 35) / 8 / 60, 1e-9);
    });

    it('should read minutes when a bucket would be a minute or wider, including the minute not rolled yet', async () => {
      await fill(T0, T0 + 3 * HOUR, 10 * SECOND);
      clock.advance(3 * HOUR + 30 * SECOND);
      await sut.compact();

      // 3 h 30 s in 150 buckets is 72.2 s each: no finer than minutes, so minutes are read.
      const result = await query({ from: T0, to: clock.now(), points: 150 });

      expect(result?.tier).to.equal('1m');
      expect(result?.points.length).to.be.at.most(150);
      // The last bucket holds only the sample at 3:00:00, whose minute is summarised from raw on the fly.
      const [ts, value] = result!.points.at(-1)!;
      expect(ts).to.be.within(T0 + 3 * HOUR - 72_201, T0 + 3 * HOUR);
      expect(value).to.equal(180);
    });

    it('should read minutes for a range older than raw keeps, and hours for one older than minutes keep', async () => {
      sut = open({ retention: { raw: HOUR, '1m': 6 * HOUR, '1h': 30 * DAY } });
      await fill(T0, T0 + 2 * HOUR, MINUTE);
      clock.advance(10 * HOUR);
      await sut.compact();

      const minutes = await query({ from: T0 + 5 * HOUR, to: clock.now() });
      expect(minutes?.tier).to.equal('1m');

      const old = await query({ from: T0, to: T0 + 2 * HOUR });
      expect(old?.tier).to.equal('1h');
      expect(old?.points).to.deep.equal([
        [T0, 29.5],
        [T0 + HOUR, 89.5],
        [T0 + 2 * HOUR, 120],
      ]);
    });

    it('should pick hours when even minutes would need buckets an hour or wider', async () => {
      await fill(T0, T0 + 3 * DAY, 5 * MINUTE);
      clock.advance(3 * DAY + HOUR);
      await sut.compact();

      const result = await query({ from: clock.now() - 3 * DAY, to: clock.now(), points: 50 });

      expect(result?.tier).to.equal('1h');
      expect(result?.points.length).to.be.at.most(50);
    });

    it('should never answer more than `points` points, whatever the range and tier', async () => {
      await fill(T0, T0 + 2 * DAY, 30 * SECOND);
      clock.advance(2 * DAY + 5 * MINUTE);
      await sut.compact();

      for (const points of [1, 2, 7, 60, 499, 10_000]) {
        for (const span of [MINUTE, HOUR, 6 * HOUR, DAY, 2 * DAY, 40 * DAY]) {
          const result = await query({ from: clock.now() - span, to: clock.now(), points });
          expect(result?.points.length, `${points} points over ${span / MINUTE} min`).to.be.at.most(points);
          const stamps = result!.points.map(([ts]) => ts);
          expect(stamps).to.deep.equal([...stamps].sort((a, b) => a - b));
          for (const ts of stamps) expect(ts).to.be.within(clock.now() - span, clock.now());
        }
      }
    });
  });

  describe('forgetting a host', () => {
    it('should forget the host at once and purge its points in the background', async () => {
      await sut.append(snap(1, T0, 1, 'web-01'));
      await sut.append(snap(1, T0, 2, 'db-01'));
      clock.advance(2 * MINUTE);
      await sut.compact();

      await sut.deleteHost('web-01');

      expect(await sut.metrics('web-01')).to.deep.equal([]);
      expect(await query()).to.equal(null);
      await sut.compact();
      expect((await sut.metrics('db-01')).length).to.be.greaterThan(1);
      // What is left is db-01's: its one sample, as one row in raw and one in minutes.
      expect(count('raw_rows')).to.equal(1);
      expect(count('rolled_1m')).to.equal(1);
      expect(count('samples')).to.equal(1);
      expect(count('dropped_hosts')).to.equal(0);
    });

    it('should start a host anew when it sends again after being forgotten', async () => {
      await sut.append(snap(5, T0, 1));
      await sut.deleteHost('web-01');

      await sut.append(snap(5, T0 + SECOND, 7));

      expect((await query())?.points).to.deep.equal([[T0 + SECOND, 7]]);
    });
  });

  describe('lifecycle', () => {
    it('should keep every point across a close and reopen', async () => {
      await sut.append(snap(1, T0, 1));
      await sut.append(snap(2, T0 + 70 * SECOND, 2));
      clock.advance(2 * MINUTE);
      await sut.compact();
      const before = await query();
      await sut.close();

      sut = open();
      await sut.append(snap(2, T0 + 70 * SECOND, 99));

      expect(await query()).to.deep.equal(before);
      expect(rollups('1m')).to.have.length(2);
    });

    it('should write what is queued when it closes', async () => {
      const appended = sut.append(snap(1, T0, 1));
      await sut.close();
      await appended;

      sut = open();
      expect((await query())?.points).to.deep.equal([[T0, 1]]);
    });

    it('should refuse appends once closed', async () => {
      await sut.close();

      await sut.append(snap(1, T0, 1)).then(
        () => expect.fail('expected a rejection'),
        (error: Error) => expect(error.message).to.contain('closed'),
      );
    });

    it('should keep the file in WAL mode at the current schema version', () => {
      const db = reader();

      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(db.pragma('user_version', { simple: true })).to.equal(HISTORY_MIGRATIONS.length);
    });

    it('should move every point of a file written with a row per series into rows per host', async () => {
      await sut.close();
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(dir);
      const old = new Database(file);
      old.exec(HISTORY_MIGRATIONS[0]!);
      old.pragma('user_version = 1');
      old.exec(`
        INSERT INTO hosts (id, host_id) VALUES (1, 'web-01'), (2, 'db-01');
        INSERT INTO series (id, host, name, unit) VALUES (1, 1, 'cpu', '%'), (2, 2, 'cpu', '%'), (3, 1, 'load.1', 'load');
        INSERT INTO samples (host, seq, ts) VALUES (1, 7, ${T0 + 2 * HOUR}), (2, 3, ${T0 + 2 * HOUR});
        INSERT INTO points_raw (series, ts, value) VALUES (1, ${T0 + 2 * HOUR}, 40), (3, ${T0 + 2 * HOUR}, 1.5), (2, ${T0 + 2 * HOUR}, 90),
          (1, ${T0 + 2 * HOUR + 10 * SECOND}, 60);
        INSERT INTO points_1m (series, ts, avg, min, max, count) VALUES (1, ${T0 + HOUR}, 30, 10, 50, 6), (3, ${T0 + HOUR}, 2, 1, 3, 6);
        INSERT INTO points_1h (series, ts, avg, min, max, count) VALUES (1, ${T0}, 20, 0, 100, 360);
        UPDATE rollups SET rolled_until = ${T0 + 2 * HOUR} WHERE tier = '1m';
        UPDATE rollups SET rolled_until = ${T0 + HOUR} WHERE tier = '1h';
      `);
      old.close();
      clock.advance(2 * HOUR + MINUTE);

      sut = open();

      expect(await sut.metrics('web-01')).to.deep.equal([
        { name: 'cpu', unit: '%' },
        { name: 'load.1', unit: 'load' },
      ]);
      expect((await query({ from: T0 + 2 * HOUR, to: clock.now() }))?.points).to.deep.equal([
        [T0 + 2 * HOUR, 40],
        [T0 + 2 * HOUR + 10 * SECOND, 60],
      ]);
      expect((await query({ metric: 'load.1', from: T0 + 2 * HOUR, to: clock.now() }))?.points).to.deep.equal([[T0 + 2 * HOUR, 1.5]]);
      expect((await query({ hostId: 'db-01', from: T0 + 2 * HOUR, to: clock.now() }))?.points).to.deep.equal([[T0 + 2 * HOUR, 90]]);
      // The minute after the migrated ones was rolled on opening, from migrated raw rows.
      expect(rollups('1m')).to.deep.equal([
        { ts: T0 + HOUR, avg: 30, min: 10, max: 50, count: 6 },
        { ts: T0 + 2 * HOUR, avg: 50, min: 40, max: 60, count: 2 },
      ]);
      expect(rollups('1m', 'load.1')).to.deep.equal([
        { ts: T0 + HOUR, avg: 2, min: 1, max: 3, count: 6 },
        { ts: T0 + 2 * HOUR, avg: 1.5, min: 1.5, max: 1.5, count: 1 },
      ]);
      expect(rollups('1h')).to.deep.equal([{ ts: T0, avg: 20, min: 0, max: 100, count: 360 }]);
      expect(count('samples')).to.equal(2);
      // A new series of a migrated host takes the next slot, not one a migrated series holds.
      const next = snap(8, T0 + 2 * HOUR + 20 * SECOND, 70);
      await sut.append(next);
      expect((await query({ metric: 'load.1', from: T0 + 2 * HOUR, to: clock.now() }))?.points.at(-1)).to.deep.equal([
        T0 + 2 * HOUR + 20 * SECOND,
        next.cpu.load!.one,
      ]);
    });

    it('should refuse a file from a newer hub', async () => {
      await sut.close();
      const db = new Database(file);
      db.pragma('user_version = 99');
      db.close();

      expect(() => open()).to.throw(/schema version 99/);
    });
  });
});
