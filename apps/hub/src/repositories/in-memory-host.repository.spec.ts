import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { InMemoryHostRepository } from './in-memory-host.repository';

const NOW = 1_764_000_000_000;

describe('InMemoryHostRepository', () => {
  it('should keep a host from its first connection, with its facts and latest snapshot', async () => {
    const sut = new InMemoryHostRepository();
    await sut.addConnection('web-01', 5000, NOW);
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
      firstSeen: NOW,
    });
    expect((await sut.list()).map((host) => host.latest?.seq)).to.deep.equal([2]);
  });

  it('should tell a host without its snapshot but with what the list shows of it, null before the first', async () => {
    const sut = new InMemoryHostRepository();
    expect(await sut.findMeta('web-01')).to.equal(null);

    await sut.addConnection('web-01', 5000, NOW);
    const before = { hostId: 'web-01', facts: null, lastSeen: NOW, connected: true, intervalMs: 5000, firstSeen: NOW, latestSummary: null };
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
