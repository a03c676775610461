import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { Snapshot } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { summariseLatest } from './latest-summary';
import { openHistoryReader } from '../testing/history-reader';
import type { HistoryRepository } from './history.repository';
import type { HostRegistration, HostRegistryRepository, LatestWrite } from './host-registry.repository';
import { compactJson } from './packed-snapshot';
import { HISTORY_FILE } from './sqlite-history.repository';

/** A registry that shares its commits with history, as the SQLite shape does. */
export type RegistryStore = HostRegistryRepository & HistoryRepository & { close(): Promise<void> };

const T0 = Date.now() - 60_000;

function registration(hostId: string, overrides: Partial<HostRegistration> = {}): HostRegistration {
  return { hostId, facts: validFacts(), lastSeen: T0 + 1, intervalMs: 5000, agentVersion: '0.1.0', firstSeen: T0, ...overrides };
}

function latestOf(snapshot: Snapshot, lastSeen: number): LatestWrite {
  return { json: compactJson(snapshot), summary: summariseLatest(snapshot), lastSeen, intervalMs: 5000 };
}

/**
 * What every durable host registry does, whatever keeps it: `open` opens the
 * store of the given file, a second time to read back what the first wrote.
 */
export function describeHostRegistryContract(name: string, open: (file: string) => Promise<RegistryStore>): void {
  describe(`${name} as the host registry`, () => {
    let dir: string;
    let file: string;
    const opened: RegistryStore[] = [];

    const openStore = async (): Promise<RegistryStore> => {
      const store = await open(file);
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-registry-'));
      file = path.join(dir, HISTORY_FILE);
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('should give back after a restart every host registered, with its latest snapshot as written', async () => {
      const sut = await openStore();
      const snapshot = validSnapshot({ hostId: 'web-01', seq: 3, ts: T0 + 2 });
      await sut.register(registration('web-01'));
      await sut.register(registration('db-01', { facts: null, lastSeen: null, agentVersion: null, intervalMs: 1000 }));
      await sut.append(snapshot, latestOf(snapshot, T0 + 3));
      await sut.close();

      const loaded = await (await openStore()).load();

      expect(loaded.sort((a, b) => a.hostId.localeCompare(b.hostId))).to.deep.equal([
        { ...registration('db-01', { facts: null, lastSeen: null, agentVersion: null, intervalMs: 1000 }), latest: null },
        { ...registration('web-01', { lastSeen: T0 + 3 }), latest: { json: compactJson(snapshot), summary: summariseLatest(snapshot) } },
      ]);
    });

    it('should have the latest row committed with the history row once append resolves', async () => {
      const sut = await openStore();
      const snapshot = validSnapshot({ hostId: 'web-01', seq: 1, ts: T0 + 2 });

      await sut.append(snapshot, latestOf(snapshot, T0 + 3));

      // Another connection sees both: an ack sent now promises the registry as much as the history.
      const db = openHistoryReader(file);
      try {
        const row = db
          .prepare<[string], { latest: string; samples: number }>(
            `SELECT r.latest, (SELECT count(*) FROM samples s WHERE s.host = h.id) AS samples
               FROM registry r JOIN hosts h ON h.id = r.host WHERE h.host_id = ?`,
          )
          .get('web-01');
        expect(row).to.deep.equal({ latest: compactJson(snapshot), samples: 1 });
      } finally {
        db.close();
      }
    });

    it('should register a host from its latest alone, and keep the latest when the registration changes later', async () => {
      const sut = await openStore();
      const snapshot = validSnapshot({ hostId: 'web-01', seq: 1, ts: T0 + 2 });

      await sut.append(snapshot, latestOf(snapshot, T0 + 3));
      expect(await sut.load()).to.deep.equal([
        {
          hostId: 'web-01',
          facts: null,
          lastSeen: T0 + 3,
          intervalMs: 5000,
          agentVersion: null,
          firstSeen: T0 + 3,
          latest: { json: compactJson(snapshot), summary: summariseLatest(snapshot) },
        },
      ]);

      await sut.register(registration('web-01', { lastSeen: T0 + 2, agentVersion: '0.2.0', intervalMs: 2000 }));
      const [host] = await sut.load();
      expect(host).to.deep.equal({
        ...registration('web-01', { agentVersion: '0.2.0', intervalMs: 2000 }),
        // The newer of the two, whichever came last.
        lastSeen: T0 + 3,
        latest: { json: compactJson(snapshot), summary: summariseLatest(snapshot) },
      });
    });

    it('should give back the text of a latest written as its raw deflate', async () => {
      const sut = await openStore();
      const snapshot = validSnapshot({ hostId: 'web-01', seq: 1, ts: T0 + 2 });
      const json = compactJson(snapshot);
      // A view into a larger buffer, as a socket read hands it on.
      const read = Buffer.concat([Buffer.from('xx'), deflateRawSync(json), Buffer.from('yy')]);

      await sut.append(snapshot, { ...latestOf(snapshot, T0 + 3), deflated: read.subarray(2, read.length - 2) });
      await sut.close();

      expect((await (await openStore()).load())[0]?.latest?.json).to.equal(json);
    });

    it('should write history without touching the latest when an append carries none', async () => {
      const sut = await openStore();
      const newest = validSnapshot({ hostId: 'web-01', seq: 5, ts: T0 + 5 });
      await sut.append(newest, latestOf(newest, T0 + 6));

      await sut.append(validSnapshot({ hostId: 'web-01', seq: 4, ts: T0 + 4 }));

      expect((await sut.load())[0]?.latest?.json).to.equal(compactJson(newest));
      expect((await sut.metrics('web-01')).length).to.be.above(0);
    });

    it('should forget for good a deleted host with its history, and one only registered, keeping every other', async () => {
      const sut = await openStore();
      for (const hostId of ['web-01', 'db-01']) {
        const snapshot = validSnapshot({ hostId, seq: 1, ts: T0 + 2 });
        await sut.register(registration(hostId));
        await sut.append(snapshot, latestOf(snapshot, T0 + 3));
      }
      // Never sent a snapshot: a registry row and no history.
      await sut.register(registration('web-02'));

      await sut.deleteHost('web-01');
      await sut.deleteHost('web-02');
      await sut.deleteHost('never-seen');
      await sut.close();

      const again = await openStore();
      expect((await again.load()).map((host) => host.hostId)).to.deep.equal(['db-01']);
      expect(await again.metrics('web-01')).to.deep.equal([]);
    });
  });
}
