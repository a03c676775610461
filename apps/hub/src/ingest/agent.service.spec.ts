import { deflateRawSync } from 'node:zlib';
import { LIMITS, encodeSnapshot } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import type { AgentIdentity } from './agent.types';
import { CapturingLogger } from '../testing/capturing-logger';
import { FakeClock } from '../testing/fake-clock';
import { FakeHistoryRepository } from '../testing/fake-history.repository';
import { FakeHostRepository } from '../testing/fake-host.repository';
import type { AgentService } from './agent.service';
import { HostEvents, type HostChange } from '../hosts/host-events';
import type { HostRemovalService } from '../hosts/host-removal.service';
import { extractSeries } from '../store/series';
import { ingestPipeline } from '../testing/ingest-pipeline';
import type { NewLatestSnapshot } from './accepted-snapshots';

describe('AgentService', () => {
  const agent: AgentIdentity = { hostId: 'web-01', intervalMs: 5000 };
  let clock: FakeClock;
  let hosts: FakeHostRepository;
  let history: FakeHistoryRepository;
  let logs: CapturingLogger;
  let changes: HostChange[];
  let published: NewLatestSnapshot[];
  let sut: AgentService;
  let removal: HostRemovalService;

  beforeEach(async () => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    clock = new FakeClock();
    hosts = new FakeHostRepository();
    const events = new HostEvents();
    changes = [];
    events.changes$.subscribe((change) => changes.push(change));
    history = new FakeHistoryRepository();
    const pipeline = ingestPipeline(hosts, history, clock, events);
    ({ agents: sut, removal } = pipeline);
    published = [];
    pipeline.snapshots.newLatest$.subscribe((stored) => published.push(stored));
    await sut.connected(agent, '127.0.0.1');
  });

  it('should announce every stored change of a host, and nothing for a refused or repeated message', async () => {
    await sut.receiveFacts(agent, validFacts());
    await sut.receiveSnapshot(agent, validSnapshot({ seq: 2 }));
    await sut.receiveSnapshot(agent, validSnapshot({ seq: 2 }));
    await sut.receiveSnapshot(agent, { bogus: true });
    await sut.disconnected(agent, 'transport close');

    expect(changes).to.deep.equal([
      { kind: 'updated', hostId: 'web-01' },
      { kind: 'updated', hostId: 'web-01' },
      { kind: 'updated', hostId: 'web-01' },
    ]);
    expect(published.map((stored) => stored.snapshot)).to.deep.equal([validSnapshot({ seq: 2 })]);
  });

  it('should publish a new latest once stored, with its series taken once and the host as it stands', async () => {
    const snapshot = validSnapshot({ seq: 3 });
    clock.advance(1000);
    await sut.receiveSnapshot(agent, snapshot);

    expect(published).to.have.length(1);
    const [stored] = published;
    expect(stored!.series).to.deep.equal(extractSeries(snapshot));
    expect(stored!.latest.json).to.equal(JSON.stringify(snapshot));
    expect(stored!.receivedAt).to.equal(clock.now());
    expect(stored!.host).to.include({ hostId: 'web-01', status: 'online', lastSeen: clock.now(), intervalMs: 5000 });
    expect(history.appended).to.deep.equal([snapshot]);
  });

  it('should publish nothing for an older seq, which fills history only', async () => {
    await sut.receiveSnapshot(agent, validSnapshot({ seq: 5 }));
    published.length = 0;

    expect(await sut.receiveSnapshot(agent, validSnapshot({ seq: 4 }))).to.deep.equal({ ok: true });
    expect(published).to.deep.equal([]);
    expect(history.appended.map((s) => s.seq)).to.deep.equal([5, 4]);
  });

  it('should create a connected host with the handshake interval when an agent connects', async () => {
    const record = await hosts.find('web-01');

    expect(record).to.include({ hostId: 'web-01', connected: true, intervalMs: 5000, lastSeen: clock.now(), firstSeen: clock.now() });
  });

  it('should keep a host connected while one of its two sockets is still open', async () => {
    await sut.connected(agent, '127.0.0.1');

    await sut.disconnected(agent, 'transport close');
    expect((await hosts.find('web-01'))?.connected).to.equal(true);

    await sut.disconnected(agent, 'transport close');
    expect((await hosts.find('web-01'))?.connected).to.equal(false);
  });

  it('should store valid facts and ack ok', async () => {
    clock.advance(10);
    const ack = await sut.receiveFacts(agent, validFacts());

    expect(ack).to.deep.equal({ ok: true });
    const record = await hosts.find('web-01');
    expect(record?.facts).to.deep.equal(validFacts());
    expect(record?.lastSeen).to.equal(clock.now());
  });

  it('should refuse invalid facts with INVALID_MESSAGE naming the path', async () => {
    const ack = await sut.receiveFacts(agent, { ...validFacts(), memoryTotalBytes: 'lots' });

    expect(ack.ok).to.equal(false);
    expect(ack.ok === false && ack.error.code).to.equal('INVALID_MESSAGE');
    expect(ack.ok === false && ack.error.message).to.contain('memoryTotalBytes');
    expect((await hosts.find('web-01'))?.facts).to.equal(null);
  });

  it('should store a valid snapshot as the latest and ack ok', async () => {
    const ack = await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));

    expect(ack).to.deep.equal({ ok: true });
    expect((await hosts.find('web-01'))?.latest).to.deep.equal(validSnapshot({ seq: 1 }));
  });

  it('should store an encoded snapshot as the one it encodes', async () => {
    const ack = await sut.receiveSnapshot(agent, encodeSnapshot(validSnapshot({ seq: 2 })));

    expect(ack).to.deep.equal({ ok: true });
    expect((await hosts.find('web-01'))?.latest).to.deep.equal(validSnapshot({ seq: 2 }));
  });

  it('should refuse an encoded snapshot that inflates beyond the message limit, naming the limit, and store nothing', async () => {
    const ack = await sut.receiveSnapshot(agent, deflateRawSync(Buffer.alloc(2 * LIMITS.maxMessageBytes, 0x20)));

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(ack).to.have.nested.property('error.message').that.contains(String(LIMITS.maxMessageBytes));
    expect(hosts.savedSnapshots).to.have.length(0);
  });

  it('should check an encoded snapshot against the schema like a plain one', async () => {
    const snapshot = validSnapshot();
    const ack = await sut.receiveSnapshot(agent, deflateRawSync(JSON.stringify({ ...snapshot, seq: -1 })));

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(ack).to.have.nested.property('error.message').that.contains('seq');
    expect(hosts.savedSnapshots).to.have.length(0);
  });

  it('should refuse an invalid snapshot with INVALID_MESSAGE naming the path and store nothing', async () => {
    const snapshot = validSnapshot();
    const ack = await sut.receiveSnapshot(agent, { ...snapshot, cpu: { ...snapshot.cpu, usagePercent: Number.NaN } });

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(ack).to.have.nested.property('error.message').that.contains('cpu.usagePercent');
    expect(hosts.savedSnapshots).to.have.length(0);
    expect(logs.messages('warn').join('\n')).to.contain("invalid snapshot from host 'web-01'").and.contain('cpu.usagePercent');
  });

  it('should refuse a payload that is not an object at all', async () => {
    const ack = await sut.receiveSnapshot(agent, undefined);

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(hosts.savedSnapshots).to.have.length(0);
  });

  it('should refuse a snapshot for another host with HOST_MISMATCH and store nothing', async () => {
    const ack = await sut.receiveSnapshot(agent, validSnapshot({ hostId: 'db-01' }));

    expect(ack).to.have.nested.property('error.code', 'HOST_MISMATCH');
    expect(hosts.savedSnapshots).to.have.length(0);
    expect(await hosts.find('db-01')).to.equal(null);
  });

  it('should ack a repeated or older seq without applying it', async () => {
    await sut.receiveSnapshot(agent, validSnapshot({ seq: 5, uptimeSeconds: 500 }));

    const repeated = await sut.receiveSnapshot(agent, validSnapshot({ seq: 5, uptimeSeconds: 999 }));
    const older = await sut.receiveSnapshot(agent, validSnapshot({ seq: 4, uptimeSeconds: 400 }));

    expect(repeated).to.deep.equal({ ok: true });
    expect(older).to.deep.equal({ ok: true });
    expect(hosts.savedSnapshots.map((s) => s.seq)).to.deep.equal([5]);
    expect((await hosts.find('web-01'))?.latest?.uptimeSeconds).to.equal(500);
  });

  it('should never rewind the latest snapshot when snapshots are handled concurrently', async () => {
    await Promise.all([
      sut.receiveSnapshot(agent, validSnapshot({ seq: 7 })),
      sut.receiveSnapshot(agent, validSnapshot({ seq: 6 })),
      sut.receiveSnapshot(agent, validSnapshot({ seq: 8 })),
    ]);

    expect(hosts.savedSnapshots.map((s) => s.seq)).to.deep.equal([7, 8]);
    expect((await hosts.find('web-01'))?.latest?.seq).to.equal(8);
  });

  it('should ack INTERNAL_ERROR instead of throwing when the store fails', async () => {
    hosts.failWrites = new Error('disk full');

    const snapshotAck = await sut.receiveSnapshot(agent, validSnapshot());
    const factsAck = await sut.receiveFacts(agent, validFacts());

    expect(snapshotAck).to.have.nested.property('error.code', 'INTERNAL_ERROR');
    expect(factsAck).to.have.nested.property('error.code', 'INTERNAL_ERROR');
    expect(logs.messages('error').join('\n')).to.contain('disk full');
  });

  it('should keep handling a host after a store failure', async () => {
    hosts.failWrites = new Error('disk full');
    await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));
    hosts.failWrites = null;

    const ack = await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));

    expect(ack).to.deep.equal({ ok: true });
    expect(hosts.savedSnapshots.map((s) => s.seq)).to.deep.equal([1]);
  });

  it('should cap an INVALID_MESSAGE text at the protocol limit of 2048 characters', async () => {
    const hostile = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${'k'.repeat(1000)}${i}`, 1]));

    const ack = await sut.receiveSnapshot(agent, { ...validSnapshot(), ...hostile });

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(ack.ok === false && ack.error.message.length).to.be.at.most(2048);
  });

  describe('history', () => {
    it('should append every valid snapshot to the history before acking, an older seq included', async () => {
      await sut.receiveSnapshot(agent, validSnapshot({ seq: 5, ts: 5000 }));
      const older = await sut.receiveSnapshot(agent, validSnapshot({ seq: 3, ts: 3000 }));

      expect(older).to.deep.equal({ ok: true });
      expect(history.appended.map((s) => s.seq)).to.deep.equal([5, 3]);
      expect((await hosts.find('web-01'))?.latest?.seq).to.equal(5);
    });

    it('should append nothing for a refused snapshot', async () => {
      await sut.receiveSnapshot(agent, { bogus: true });
      await sut.receiveSnapshot(agent, validSnapshot({ hostId: 'db-01' }));

      expect(history.appended).to.deep.equal([]);
    });

    it('should ack INTERNAL_ERROR and leave the latest snapshot alone when the history cannot store it', async () => {
      history.failAppends = new Error('database is locked');
      changes.length = 0;

      const ack = await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));

      expect(ack).to.have.nested.property('error.code', 'INTERNAL_ERROR');
      expect((await hosts.find('web-01'))?.latest).to.equal(null);
      expect(changes).to.deep.equal([]);
      expect(logs.messages('error').join('\n')).to.contain('database is locked');
    });
  });

  describe('forgetting a host', () => {
    it('should forget the host and its history and announce the removal', async () => {
      await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));
      changes.length = 0;

      expect(await removal.forget('web-01')).to.equal(true);

      expect(await hosts.find('web-01')).to.equal(null);
      expect(history.deleted).to.deep.equal(['web-01']);
      expect(changes).to.deep.equal([{ kind: 'removed', hostId: 'web-01' }]);
    });

    it('should forget a host the history alone still knows, as after a restart', async () => {
      await history.append(validSnapshot({ hostId: 'db-01' }));

      expect(await removal.forget('db-01')).to.equal(true);
      expect(await history.metrics('db-01')).to.deep.equal([]);
    });

    it('should answer false for a host nobody knows, and announce nothing', async () => {
      changes.length = 0;

      expect(await removal.forget('nobody')).to.equal(false);
      expect(changes).to.deep.equal([]);
      expect(history.deleted).to.deep.equal([]);
    });

    it('should register the host again when its still-connected agent sends facts or a snapshot', async () => {
      await sut.receiveSnapshot(agent, validSnapshot({ seq: 1 }));
      await removal.forget('web-01');

      const facts = await sut.receiveFacts(agent, validFacts());
      const snapshot = await sut.receiveSnapshot(agent, validSnapshot({ seq: 2 }));

      expect([facts, snapshot]).to.deep.equal([{ ok: true }, { ok: true }]);
      const record = await hosts.find('web-01');
      expect(record).to.include({ connected: true, intervalMs: 5000 });
      expect(record?.latest?.seq).to.equal(2);
      expect(record?.facts).to.deep.equal(validFacts());
    });
  });
});
