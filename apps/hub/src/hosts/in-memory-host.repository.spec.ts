import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { summariseLatest } from '../store/latest-summary';
import { InMemoryHostRepository } from './in-memory-host.repository';
import { compactJson, PackedSnapshot } from '../store/packed-snapshot';

const NOW = 1_764_000_000_000;

describe('InMemoryHostRepository', () => {
  it('should keep a host from its first connection, with its facts and latest snapshot', async () => {
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW, '0.2.0');
    await sut.saveFacts('web-01', validFacts(), NOW + 1);

    await sut.saveSnapshot(validSnapshot({ seq: 1 }), NOW + 2);
    await sut.saveSnapshot(validSnapshot({ seq: 2, uptimeSeconds: 605 }), NOW + 3);

    expect(await sut.find('web-01')).to.deep.equal({
      hostId: 'web-01',
      facts: validFacts(),
      latest: validSnapshot({ seq: 2, uptimeSeconds: 605 }),
      lastSeen: NOW + 3,
      connected: true,
      intervalMs: 5000,
      agentVersion: '0.2.0',
      firstSeen: NOW,
    });
    expect((await sut.list()).map((host) => host.latest?.seq)).to.deep.equal([2]);
  });

  it('should tell a host without its snapshot but with what the list shows of it, null before the first', async () => {
    const sut = new InMemoryHostRepository();
    expect(await sut.findMeta('web-01')).to.equal(null);

    await sut.addConnection('web-01', 5000, NOW);
    const before = { hostId: 'web-01', facts: null, lastSeen: NOW, connected: true, intervalMs: 5000, agentVersion: null, firstSeen: NOW, latestSummary: null };
    expect(await sut.findMeta('web-01')).to.deep.equal(before);

    const snapshot = validSnapshot({ seq: 7 });
    snapshot.filesystems = [
      { ...snapshot.filesystems[0]!, mount: '/', usedPercent: 40 },
      { ...snapshot.filesystems[0]!, mount: '/data', usedPercent: 91.5 },
    ];
    await sut.saveSnapshot(snapshot, NOW + 1);
    const after = {
      ...before,
      lastSeen: NOW + 1,
      latestSummary: {
        seq: 7,
        ts: snapshot.ts,
        uptimeSeconds: snapshot.uptimeSeconds,
        cpuPercent: snapshot.cpu.usagePercent,
        memoryPercent: snapshot.memory.usedPercent,
        disk: { mount: '/data', usedPercent: 91.5 },
      },
    };
    expect(await sut.findMeta('web-01')).to.deep.equal(after);
    expect(await sut.listMeta()).to.deep.equal([after]);
  });

  it('should hand out records whose changes never reach the store', async () => {
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW);
    await sut.saveSnapshot(validSnapshot(), NOW);

    const read = (await sut.find('web-01'))!;
    read.connected = false;
    read.latest!.cpu.usagePercent = 99;

    const again = (await sut.find('web-01'))!;
    expect(again.connected).to.equal(true);
    expect(again.latest).to.deep.equal(validSnapshot());
  });

  it('should count sockets, so a host stays connected until its last one closes, and forget a removed host', async () => {
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW);
    await sut.addConnection('web-01', 5000, NOW);

    await sut.removeConnection('web-01');
    expect((await sut.find('web-01'))?.connected).to.equal(true);
    await sut.removeConnection('web-01');
    expect((await sut.find('web-01'))?.connected).to.equal(false);

    await sut.remove('web-01');
    expect(await sut.find('web-01')).to.equal(null);
    expect(await sut.count()).to.equal(0);
  });

  it('should restore registered hosts offline, with their last values, without parsing their snapshots', async () => {
    const snapshot = validSnapshot({ seq: 9 });
    const sut = new InMemoryHostRepository();

    sut.restore([
      {
        hostId: 'web-01',
        facts: validFacts(),
        lastSeen: NOW + 5,
        intervalMs: 2000,
        agentVersion: '0.1.0',
        firstSeen: NOW,
        latest: { json: compactJson(snapshot), summary: summariseLatest(snapshot) },
      },
      { hostId: 'db-01', facts: null, lastSeen: null, intervalMs: 5000, agentVersion: null, firstSeen: NOW, latest: null },
    ]);

    expect(await sut.find('web-01')).to.deep.equal({
      hostId: 'web-01',
      facts: validFacts(),
      latest: snapshot,
      lastSeen: NOW + 5,
      connected: false,
      intervalMs: 2000,
      agentVersion: '0.1.0',
      firstSeen: NOW,
    });
    expect((await sut.findMeta('web-01'))?.latestSummary).to.deep.equal(summariseLatest(snapshot));
    expect((await sut.findMeta('db-01'))?.connected).to.equal(false);
    expect(await sut.latestBytes()).to.equal(new PackedSnapshot(compactJson(snapshot)).capacity);

    await sut.addConnection('web-01', 1000, NOW + 10, '0.2.0');
    expect(await sut.findMeta('web-01')).to.include({ connected: true, intervalMs: 1000, agentVersion: '0.2.0', lastSeen: NOW + 10, firstSeen: NOW });
  });

  // That an agent's padded text never gets here is the ingest's part (agent.service.memory.spec.ts).
  it('should hold no more room than the compact JSON it keeps needs, and read it back whole', async () => {
    const snapshot = validSnapshot();
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW);

    await sut.saveSnapshot(snapshot, NOW, { json: compactJson(snapshot), summary: summariseLatest(snapshot) });

    expect(await sut.latestBytes()).to.equal(new PackedSnapshot(compactJson(snapshot)).capacity);
    expect(await sut.latestBytes()).to.be.below(2 * compactJson(snapshot).length + 1024);
    expect((await sut.find('web-01'))?.latest).to.deep.equal(snapshot);
  });

  it('should keep the compact JSON and summary it is handed rather than make them again', async () => {
    const snapshot = validSnapshot({ seq: 4 });
    const summary = summariseLatest(snapshot);
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW);

    await sut.saveSnapshot(snapshot, NOW, { json: compactJson(snapshot), summary });

    expect((await sut.findMeta('web-01'))?.latestSummary).to.equal(summary);
    expect((await sut.find('web-01'))?.latest).to.deep.equal(snapshot);
  });

  it('should make room for latest snapshots within its budget only, and count what is kept and released', async () => {
    const snapshot = validSnapshot();
    const one = new PackedSnapshot(compactJson(snapshot)).capacity;
    const sut = new InMemoryHostRepository(2 * one);
    for (const hostId of ['a', 'b', 'c']) await sut.addConnection(hostId, 5000, NOW);
    const bytes = Buffer.byteLength(compactJson(snapshot));

    expect(await sut.reserveLatest('a', bytes)).to.equal(true);
    await sut.saveSnapshot({ ...snapshot, hostId: 'a' }, NOW);
    expect(await sut.reserveLatest('b', bytes)).to.equal(true);
    expect(await sut.latestBytes(), 'a reservation counts before its snapshot is saved').to.equal(2 * one);
    expect(await sut.reserveLatest('c', bytes)).to.equal(false);
    // A host that keeps the room it has is never refused.
    expect(await sut.reserveLatest('a', bytes)).to.equal(true);
    await sut.saveSnapshot({ ...snapshot, hostId: 'b' }, NOW);
    expect(await sut.latestBytes()).to.equal(2 * one);

    await sut.remove('a');
    expect(await sut.latestBytes()).to.equal(one);
    expect(await sut.reserveLatest('c', bytes)).to.equal(true);
  });

  it('should give back a released reservation and keep the room of the latest the host holds', async () => {
    const snapshot = validSnapshot();
    const one = new PackedSnapshot(compactJson(snapshot)).capacity;
    const sut = new InMemoryHostRepository(4 * one);
    for (const hostId of ['a', 'b']) await sut.addConnection(hostId, 5000, NOW);
    await sut.saveSnapshot({ ...snapshot, hostId: 'a' }, NOW);
    expect(await sut.reserveLatest('a', 2 * one)).to.equal(true);
    expect(await sut.reserveLatest('b', Buffer.byteLength(compactJson(snapshot)))).to.equal(true);
    expect(await sut.latestBytes()).to.be.above(2 * one);

    await sut.releaseLatest('a');
    await sut.releaseLatest('b');
    await sut.releaseLatest('never-seen');

    expect(await sut.latestBytes()).to.equal(one);
    expect((await sut.find('a'))?.latest).to.deep.equal({ ...snapshot, hostId: 'a' });
  });

  it('should refuse a snapshot or facts of a host it does not know', async () => {
    const sut = new InMemoryHostRepository();

    await expectRejection(sut.saveSnapshot(validSnapshot(), NOW), "Unknown host 'web-01'");
    await expectRejection(sut.saveFacts('web-01', validFacts(), NOW), "Unknown host 'web-01'");
  });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(Error);
  expect((error as Error).message).to.equal(message);
}
