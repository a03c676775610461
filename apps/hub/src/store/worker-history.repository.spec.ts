import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Snapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';
import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import { DEFAULT_RETENTION } from '../core/retention';
import { CapturingLogger } from '../testing/capturing-logger';
import { openHistoryReader } from '../testing/history-reader';
import { HISTORY_FILE } from './sqlite-history.repository';
import { WorkerHistoryRepository } from './worker-history.repository';

describe('WorkerHistoryRepository', () => {
  let dir: string;
  let file: string;
  let sut: WorkerHistoryRepository;
  const toClose: Array<{ close(): unknown }> = [];
  const t0 = Date.now() - 60_000;

  async function open(): Promise<WorkerHistoryRepository> {
    const store = await WorkerHistoryRepository.open({ file, retention: DEFAULT_RETENTION });
    toClose.push(store);
    return store;
  }

  /** Reads the file through a connection of its own, as another process would. */
  function read<T>(query: (db: Database.Database) => T): T {
    const db = openHistoryReader(file);
    try {
      return query(db);
    } finally {
      db.close();
    }
  }

  function storedCpu(hostId = 'web-01'): Array<{ ts: number; value: number }> {
    const sql = `SELECT r.ts, raw_value(r.vals, s.slot) AS value FROM raw_rows r JOIN series s ON s.host = r.host JOIN hosts h ON h.id = r.host
                  WHERE s.name = 'cpu' AND h.host_id = ? ORDER BY r.ts`;
    return read((db) => db.prepare(sql).all(hostId) as Array<{ ts: number; value: number }>);
  }

  function snap(seq: number, cpu: number, hostId = 'web-01'): Snapshot {
    const snapshot = validSnapshot({ hostId, seq, ts: t0 + seq * 1000 });
    snapshot.cpu.usagePercent = cpu;
    return snapshot;
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-history-worker-'));
    file = path.join(dir, HISTORY_FILE);
    Logger.overrideLogger(new CapturingLogger());
    sut = await open();
  });

  afterEach(async () => {
    for (const item of toClose.splice(0).reverse()) await item.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('should resolve an append only once a second connection can read it', async () => {
    await sut.append(snap(1, 42));

    expect(storedCpu()).to.deep.equal([{ ts: t0 + 1000, value: 42 }]);
  });

  it('should answer queries and metric lists from the worker', async () => {
    await Promise.all([sut.append(snap(1, 10)), sut.append(snap(2, 20))]);

    const result = await sut.query({ hostId: 'web-01', metric: 'cpu', from: t0, to: Date.now(), points: 500 });
    const metrics = await sut.metrics('web-01');

    expect(result).to.deep.equal({
      metric: 'cpu',
      unit: '%',
      tier: 'raw',
      points: [
        [t0 + 1000, 10],
        [t0 + 2000, 20],
      ],
    });
    expect(metrics.map((metric) => metric.name)).to.include.members(['cpu', 'memory.used']);
    expect(await sut.query({ hostId: 'nobody', metric: 'cpu', from: t0, to: Date.now(), points: 10 })).to.equal(null);
  });

  it('should write the snapshots of many hosts that arrive together, each once', async () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `host-${i}`);

    await Promise.all(hosts.flatMap((hostId) => [sut.append(snap(1, 5, hostId)), sut.append(snap(1, 5, hostId))]));

    expect(read((db) => db.prepare('SELECT count(*) FROM samples').pluck().get())).to.equal(300);
    expect(storedCpu('host-299')).to.deep.equal([{ ts: t0 + 1000, value: 5 }]);
  });

  it('should write a snapshot queued before a delete first, so that it does not bring the host back', async () => {
    await sut.append(snap(1, 10));
    const late = sut.append(snap(2, 20));

    await sut.deleteHost('web-01');
    await late;

    expect(await sut.metrics('web-01')).to.deep.equal([]);
    expect(storedCpu()).to.deep.equal([]);
  });

  it('should write what is queued when it closes, then refuse appends', async () => {
    const queued = sut.append(snap(1, 33));

    await sut.close();
    await queued;

    expect(storedCpu()).to.deep.equal([{ ts: t0 + 1000, value: 33 }]);
    await sut.append(snap(2, 1)).then(
      () => expect.fail('expected a rejection'),
      (error: Error) => expect(error.message).to.contain('closed'),
    );
  });

  it("should reject opening with the store's own error for a file from a newer hub", async () => {
    await sut.close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();

    await open().then(
      () => expect.fail('expected a rejection'),
      (error: Error) => expect(error.message).to.match(/schema version 99/),
    );
  });

  it('should fail every waiting and later call with a clear error when its thread dies', async () => {
    const waiting = sut.append(snap(1, 1));

    await sut['worker'].terminate();

    for (const call of [waiting, sut.append(snap(2, 2)), sut.metrics('web-01')]) {
      await call.then(
        () => expect.fail('expected a rejection'),
        (error: Error) => expect(error.message).to.match(/^The history store stopped: its thread exited/),
      );
    }
  });

  it('should not keep a process alive while it is idle', async function () {
    this.timeout(20_000);
    const script = `
      const { WorkerHistoryRepository } = require(${JSON.stringify(require.resolve('./worker-history.repository'))});
      WorkerHistoryRepository.open({ file: ${JSON.stringify(path.join(dir, 'idle.sqlite'))}, retention: { raw: 1e9, '1m': 1e9, '1h': 1e9 } })
        .then(() => console.log('open'));
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      expect(output.trim()).to.equal('open');
      expect(code).to.equal(0);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });
});
