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
];
