import { deflateRawSync } from 'node:zlib';
import { encodeSnapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';
import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import type { AgentIdentity } from './agent.types';
import { summariseLatest } from '../store/latest-summary';
import { InMemoryHostRepository } from '../hosts/in-memory-host.repository';
import { compactJson, PackedSnapshot } from '../store/packed-snapshot';
import { CapturingLogger } from '../testing/capturing-logger';
import { FakeClock } from '../testing/fake-clock';
import { FakeHistoryRepository } from '../testing/fake-history.repository';
import type { AgentService } from './agent.service';
import type { HostRemovalService } from '../hosts/host-removal.service';
import { ingestPipeline } from '../testing/ingest-pipeline';

/** AgentService with the hub's own in-memory store: what latest snapshots cost the hub's memory. */
describe('AgentService with the in-memory host store', () => {
  const web: AgentIdentity = { hostId: 'web-01', intervalMs: 5000, agentVersion: '0.3.0' };
  const db: AgentIdentity = { hostId: 'db-01', intervalMs: 5000 };
  /** What one usual snapshot holds in the store. */
  const room = new PackedSnapshot(compactJson(validSnapshot())).capacity;
  let clock: FakeClock;
  let history: FakeHistoryRepository;
  let logs: CapturingLogger;

  function start(budgetBytes?: number): { sut: AgentService; hosts: InMemoryHostRepository; removal: HostRemovalService } {
    const hosts = new InMemoryHostRepository(budgetBytes);
    const { agents, removal } = ingestPipeline(hosts, history, clock);
    return { sut: agents, hosts, removal };
  }

  beforeEach(() => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    clock = new FakeClock();
    history = new FakeHistoryRepository();
  });

  it('should ack a snapshot padded with 500 KB of whitespace and keep only its compact form', async () => {
    const { sut, hosts } = start();
    await sut.connected(web, '127.0.0.1');
    const snapshot = validSnapshot({ hostId: 'web-01', seq: 1 });
    const padded = JSON.stringify(snapshot, null, 1).replace('{', `{${' '.repeat(500 * 1024)}`);
    const payload = deflateRawSync(padded);
    expect(payload.length, 'whitespace deflates to next to nothing').to.be.below(5 * 1024);

    expect(await sut.receiveSnapshot(web, payload)).to.deep.equal({ ok: true });

    expect(await hosts.latestBytes()).to.equal(room);
    expect((await hosts.find('web-01'))?.latest).to.deep.equal(snapshot);
    expect(history.latest.get('web-01')?.json).to.equal(compactJson(snapshot));
  });

  it('should write the registry latest with the history of a newer snapshot only, and keep the agent version', async () => {
    const { sut, hosts } = start();
    await sut.connected(web, '127.0.0.1');
    const newest = validSnapshot({ hostId: 'web-01', seq: 5 });

    await sut.receiveSnapshot(web, newest);
    clock.advance(1000);
    await sut.receiveSnapshot(web, validSnapshot({ hostId: 'web-01', seq: 4 }));

    expect(history.latest.get('web-01')).to.deep.equal({
      json: compactJson(newest),
      deflated: null,
      summary: summariseLatest(newest),
      lastSeen: clock.now() - 1000,
      intervalMs: 5000,
    });
    expect((await hosts.findMeta('web-01'))?.agentVersion).to.equal('0.3.0');
  });

  it("should hand the registry an agent's own deflated text when it is exactly the compact JSON, and never padded text", async () => {
    const { sut } = start();
    await sut.connected(web, '127.0.0.1');
    const compact = validSnapshot({ hostId: 'web-01', seq: 1 });
    const padded = validSnapshot({ hostId: 'web-01', seq: 2 });

    const encoded = encodeSnapshot(compact);
    await sut.receiveSnapshot(web, encoded);
    expect(history.latest.get('web-01')?.deflated).to.equal(encoded);

    await sut.receiveSnapshot(web, deflateRawSync(JSON.stringify(padded, null, 2)));
    expect(history.latest.get('web-01')).to.include({ json: compactJson(padded), deflated: null });
  });

  it('should refuse a snapshot past the memory budget with MEMORY_LIMIT, store none of it, and take it once there is room', async () => {
    const { sut, hosts, removal } = start(room + room / 2);
    await sut.connected(web, '127.0.0.1');
    await sut.connected(db, '127.0.0.1');
    const kept = validSnapshot({ hostId: 'web-01', seq: 1 });
    expect(await sut.receiveSnapshot(web, kept)).to.deep.equal({ ok: true });
    const refused = validSnapshot({ hostId: 'db-01', seq: 1 });

    const ack = await sut.receiveSnapshot(db, refused);

    expect(ack).to.have.nested.property('error.code', 'MEMORY_LIMIT');
    expect(history.appended.map((s) => s.hostId)).to.deep.equal(['web-01']);
    expect((await hosts.find('db-01'))?.latest).to.equal(null);
    expect((await hosts.find('web-01'))?.latest).to.deep.equal(kept);
    expect(await hosts.latestBytes()).to.equal(room);
    expect(logs.messages('warn').join('\n')).to.contain('MEMORY_LIMIT');
    // The host that holds its room keeps reporting.
    expect(await sut.receiveSnapshot(web, validSnapshot({ hostId: 'web-01', seq: 2 }))).to.deep.equal({ ok: true });

    await removal.forget('web-01');
    expect(await sut.receiveSnapshot(db, refused)).to.deep.equal({ ok: true });
    expect((await hosts.find('db-01'))?.latest).to.deep.equal(refused);
  });

  it('should give back the room reserved for a snapshot whose history failed to store', async () => {
    const { sut, hosts } = start(room + room / 2);
    await sut.connected(web, '127.0.0.1');
    await sut.connected(db, '127.0.0.1');
    history.failAppends = new Error('disk full');

    const ack = await sut.receiveSnapshot(web, validSnapshot({ hostId: 'web-01', seq: 1 }));

    expect(ack).to.have.nested.property('error.code', 'INTERNAL_ERROR');
    expect(await hosts.latestBytes()).to.equal(0);
    // Room held for a snapshot never stored would refuse another host's until web-01 stores one.
    history.failAppends = null;
    const other = validSnapshot({ hostId: 'db-01', seq: 1 });
    expect(await sut.receiveSnapshot(db, other)).to.deep.equal({ ok: true });
    expect((await hosts.find('db-01'))?.latest).to.deep.equal(other);
  });
});
