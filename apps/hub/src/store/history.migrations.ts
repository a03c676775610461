/**
 * The history database's schema, as an ordered list of steps. Step i brings
 * the schema from version i to i + 1 (`PRAGMA user_version`); a released step
 * is never edited, only followed by a new one.
 *
 * Layout, chosen for size and speed:
 * - hosts and series get small integer ids, so a point row holds two
 *   integers and a value instead of two strings. AUTOINCREMENT keeps a
 *   forgotten host's ids from being reused while its points are still being
 *   purged in the background.
 * - samples records which (host, seq) are stored, which makes appending a
 *   replayed snapshot a no-op; its ts index lets pruning find old rows.
 * - one points table per tier, keyed by (series, ts) WITHOUT ROWID: the
 *   primary key is the table, so a range read for one series is one seek and
 *   a sequential scan, and no separate rowid b-tree is kept.
 * - rollups tracks, per summarised tier, how far it is rolled (rolled_until),
 *   the earliest late point below that (dirty_from) and a range whose
 *   rolling began but may not have finished (busy_from), so a crash never
 *   leaves a bucket wrong.
 * - pruned holds where each tier was last cut, so that late data older than
 *   what raw still covers is not half-summarised.
 *
 * Step 2 replaced the three points tables (a row per series and time) with
 * rows per host and time (see slot-values.ts): raw_rows, rolled_1m and
 * rolled_1h, keyed (host, ts), each series of a host at a fixed slot of the
 * row's blob. With a row per series, a snapshot's 30 values landed on 30
 * pages, each written whole to the WAL at every commit; now it is one. The
 * step moves every stored point across, so an upgrade loses nothing, and
 * needs the slot functions of slot-values.ts registered on the connection.
 *
 * Step 3 added the host registry (registry), a row per host keyed by its
 * hosts id: what the host list shows of it across restarts, its latest
 * snapshot as compact JSON and that snapshot's summary as JSON. It lives in
 * this file so that a snapshot's latest row is written in the same commit
 * as its history.
 */
export const HISTORY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE hosts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host_id TEXT NOT NULL UNIQUE
  );
  CREATE TABLE series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    UNIQUE (host, name)
  );
  CREATE TABLE samples (
    host INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (host, seq)
  ) WITHOUT ROWID;
  CREATE INDEX samples_by_ts ON samples (ts);
  CREATE TABLE points_raw (
    series INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (series, ts)
  ) WITHOUT ROWID;
  CREATE TABLE points_1m (
    series INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    avg REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (series, ts)
  ) WITHOUT ROWID;
  CREATE TABLE points_1h (
    series INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    avg REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (series, ts)
  ) WITHOUT ROWID;
  CREATE TABLE rollups (
    tier TEXT PRIMARY KEY,
    rolled_until INTEGER,
    dirty_from INTEGER,
    busy_from INTEGER
  ) WITHOUT ROWID;
  INSERT INTO rollups (tier) VALUES ('1m'), ('1h');
  CREATE TABLE pruned (
    tier TEXT PRIMARY KEY,
    before INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO pruned (tier, before) VALUES ('raw', 0), ('1m', 0), ('1h', 0);
  CREATE TABLE dropped_series (id INTEGER PRIMARY KEY);
  CREATE TABLE dropped_hosts (id INTEGER PRIMARY KEY);
  `,
  `
  ALTER TABLE series ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
  UPDATE series SET slot = (SELECT count(*) FROM series older WHERE older.host = series.host AND older.id < series.id);
  CREATE UNIQUE INDEX series_slot ON series (host, slot);
  CREATE TABLE raw_rows (
    host INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    vals BLOB NOT NULL,
    PRIMARY KEY (host, ts)
  ) WITHOUT ROWID;
  CREATE TABLE rolled_1m (
    host INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    vals BLOB NOT NULL,
    PRIMARY KEY (host, ts)
  ) WITHOUT ROWID;
  CREATE TABLE rolled_1h (
    host INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    vals BLOB NOT NULL,
    PRIMARY KEY (host, ts)
  ) WITHOUT ROWID;
  INSERT INTO raw_rows (host, ts, vals)
    SELECT s.host, p.ts, pack_raw(s.slot, p.value) FROM points_raw p JOIN series s ON s.id = p.series GROUP BY s.host, p.ts;
  INSERT INTO rolled_1m (host, ts, vals)
    SELECT s.host, p.ts, pack_rolled(s.slot, p.avg, p.min, p.max, p.count) FROM points_1m p JOIN series s ON s.id = p.series GROUP BY s.host, p.ts;
  INSERT INTO rolled_1h (host, ts, vals)
    SELECT s.host, p.ts, pack_rolled(s.slot, p.avg, p.min, p.max, p.count) FROM points_1h p JOIN series s ON s.id = p.series GROUP BY s.host, p.ts;
  DROP TABLE points_raw;
  DROP TABLE points_1m;
  DROP TABLE points_1h;
  DROP TABLE dropped_series;
  `,
  `
  CREATE TABLE registry (
    host INTEGER PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER,
    interval_ms INTEGER NOT NULL,
    agent_version TEXT,
    facts TEXT,
    latest TEXT,
    summary TEXT
  );
  `,
];
