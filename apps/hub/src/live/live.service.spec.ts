import { Logger } from '@nestjs/common';
import type { LiveHostUpdate, LiveListUpdate } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { createViewEngine } from '../dashboard/view-engine';
import { InMemoryRecentSamplesRepository } from '../history/in-memory-recent-samples.repository';
import { CapturingLogger } from '../testing/capturing-logger';
import { FakeClock } from '../testing/fake-clock';
import { FakeHostRepository } from '../testing/fake-host.repository';
import { FakeLiveRooms, type SentMessage } from '../testing/fake-live-rooms';
import { FakeTimers } from '../testing/fake-timers';
import { HostEvents } from '../hosts/host-events';
import { HostService } from '../hosts/host.service';
import { AcceptedSnapshots } from '../ingest/accepted-snapshots';
import { summariseLatest } from '../store/latest-summary';
import { extractSeries } from '../store/series';
import { LiveService, MAX_ROWS_PER_MESSAGE } from './live.service';
import { RecentSamplesService } from '../history/recent-samples.service';
import { AgentReleaseService } from '../install/agent-release.service';

const views = createViewEngine();

/** Counts the reads a sweep makes, to show what it costs. */
class CountingHostRepository extends FakeHostRepository {
  lists = 0;
  finds = 0;

  override async list() {
    this.lists += 1;
    return super.list();
  }

  override async find(hostId: string) {
    this.finds += 1;
    return super.find(hostId);
  }
}

function lists(messages: SentMessage[]): LiveListUpdate[] {
  return messages.filter((message) => message.event === 'list').map((message) => message.payload as LiveListUpdate);
}

function hostUpdates(messages: SentMessage[]): LiveHostUpdate[] {
  return messages.filter((message) => message.event === 'host').map((message) => message.payload as LiveHostUpdate);
}

describe('LiveService', () => {
  let logs: CapturingLogger;
  let clock: FakeClock;
  let timers: FakeTimers;
  let store: CountingHostRepository;
  let events: HostEvents;
  let snapshots: AcceptedSnapshots;
  let rooms: FakeLiveRooms;
  let sut: LiveService;

  beforeEach(() => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    clock = new FakeClock();
    timers = new FakeTimers(clock);
    store = new CountingHostRepository();
    events = new HostEvents();
    snapshots = new AcceptedSnapshots();
    rooms = new FakeLiveRooms();
    const samples = new RecentSamplesService(new InMemoryRecentSamplesRepository(), null);
    // No agent release: nothing is compared with the agents' versions here.
    sut = new LiveService(new HostService(store, clock), events, snapshots, samples, rooms, views, clock, timers, new AgentReleaseService(null), {
      flushIntervalMs: 1000,
      sweepIntervalMs: 500,
    });
    sut.onModuleInit();
  });

  afterEach(() => sut.onModuleDestroy());

  /**
   * Stores a snapshot as ingest would and publishes it as a new latest, or
   * (`changed`) only announces that the host changed, as a reconnect does.
   */
  async function ingest(hostId: string, seq: number, cpu = 12.5, how: 'published' | 'changed' = 'published'): Promise<void> {
    if (!store.records.has(hostId)) store.seed(hostId, clock.now(), { intervalMs: 1000 });
    const snapshot = validSnapshot({ hostId, seq, ts: clock.now() });
    snapshot.cpu = { ...snapshot.cpu, usagePercent: cpu };
    await store.saveSnapshot(snapshot, clock.now());
    if (how === 'changed') return events.emit({ kind: 'updated', hostId });
    const host = (await new HostService(store, clock).findMeta(hostId))!;
    const latest = { json: JSON.stringify(snapshot), summary: summariseLatest(snapshot), lastSeen: clock.now(), intervalMs: host.intervalMs };
    snapshots.publish({ snapshot, series: extractSeries(snapshot), receivedAt: clock.now(), latest, host });
  }

  async function subscribedToList(): Promise<void> {
    rooms.join('browser-1', 'list');
    await timers.advance(0);
    rooms.take();
  }

  it('should send the whole list to a browser that subscribes, and ack once sent', async () => {
    store.seed('web-01', clock.now());
    await store.saveFacts('web-01', validFacts({ hostname: 'web-01.example' }), clock.now());

    const ack = await sut.subscribe('browser-1', { view: 'list' });

    expect(ack).to.deep.equal({ ok: true });
    expect(rooms.members.get('browser-1')).to.equal('list');
    const [message] = rooms.take();
    expect(message?.to).to.deep.equal({ client: 'browser-1' });
    const update = message?.payload as LiveListUpdate;
    expect(update).to.deep.include({ full: true, total: 1, summary: '1 host: 1 online, 0 stale, 0 offline', now: clock.now() });
    expect(update.html).to.contain('data-live-section="host-list"').and.contain('<tr data-host-id="web-01" data-host-name="web-01.example">');
  });

  it('should refuse an invalid subscription with INVALID_MESSAGE and join nothing', async () => {
    const acks = await Promise.all([
      sut.subscribe('browser-1', { view: 'host', hostId: '../etc' }),
      sut.subscribe('browser-1', { view: 'everything' }),
      sut.subscribe('browser-1', undefined),
    ]);

    for (const ack of acks) expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(rooms.members.size).to.equal(0);
    expect(rooms.sent).to.deep.equal([]);
  });

  it('should answer a second subscription of a browser still waiting for the first with RATE_LIMITED', async () => {
    store.seed('web-01', clock.now());

    const [first, second] = await Promise.all([sut.subscribe('browser-1', { view: 'list' }), sut.subscribe('browser-1', { view: 'list' })]);
    const other = await sut.subscribe('browser-2', { view: 'list' });
    const later = await sut.subscribe('browser-1', { view: 'list' });

    expect(first).to.deep.equal({ ok: true });
    expect(second).to.have.nested.property('error.code', 'RATE_LIMITED');
    expect(other).to.deep.equal({ ok: true });
    expect(later, 'once answered, it may ask again').to.deep.equal({ ok: true });
    expect(lists(rooms.take())).to.have.length(3);
  });

  it('should push only the hosts that changed, one message per flush however many snapshots came', async () => {
    await ingest('web-01', 1);
    await ingest('web-02', 1);
    await ingest('web-03', 1);
    await subscribedToList();
    await timers.advance(1000);

    await ingest('web-02', 2, 40);
    await timers.advance(0);
    for (let seq = 3; seq < 13; seq += 1) {
      await ingest('web-01', seq, seq);
      await timers.advance(50);
    }
    await timers.advance(1000);

    const updates = lists(rooms.take());
    expect(updates.map((update) => update.rows.map((row) => row.hostId))).to.deep.equal([['web-02'], ['web-01']]);
    expect(updates[0]).to.deep.include({ full: false, total: 3, removed: [], summary: '3 hosts: 3 online, 0 stale, 0 offline' });
    expect(updates[0]?.rows[0]?.html)
      .to.match(/^<tr data-host-id="web-02"/)
      .and.contain('40.0%');
    expect(updates[1]?.rows[0]?.html, 'the newest value wins').to.contain('12.0%');
  });

  it('should draw the sparklines of a row from the snapshots ingested so far', async () => {
    await subscribedToList();
    await ingest('web-01', 1, 0);
    clock.advance(1000);
    await ingest('web-01', 2, 100);
    await timers.advance(1000);

    const rows = lists(rooms.take()).flatMap((update) => update.rows);
    expect(rows.at(-1)?.html).to.match(/<svg class="sparkline"[^>]*><title>CPU, last 2 samples, now 100 %<\/title><polyline points="0,100 1,0"\/><\/svg>/);
  });

  it('should take a new latest from its event without reading it back, and read the latest back only on a change that brings none', async () => {
    const find = store.find.bind(store);
    let readBack = 0;
    store.find = (hostId) => {
      readBack += 1;
      return find(hostId);
    };

    await ingest('web-01', 1, 10);
    await timers.advance(0);
    expect(readBack, 'the change brought it').to.equal(0);
    clock.advance(1000);
    await ingest('web-01', 2, 20, 'changed');
    await timers.advance(0);
    clock.advance(1000);
    await ingest('web-01', 3, 30, 'changed');
    await timers.advance(0);
    expect(readBack).to.equal(2);

    expect(await sut.subscribe('browser-1', { view: 'list' })).to.deep.equal({ ok: true });
    const [full] = lists(rooms.take());
    expect(full?.html).to.match(/<title>CPU, last 3 samples, now 30 %<\/title><polyline points="0,90 1,80 2,70"\/>/);
  });

  it('should push a host turning stale by the clock alone, then offline, each once', async () => {
    await ingest('web-01', 1);
    await subscribedToList();

    await timers.advance(2900);
    expect(lists(rooms.take()), 'still online within 3 intervals').to.deep.equal([]);

    await timers.advance(1000);
    const stale = lists(rooms.take());
    expect(stale).to.have.length(1);
    expect(stale[0]?.rows[0]?.html).to.contain('status-stale');
    expect(stale[0]?.summary).to.equal('1 host: 0 online, 1 stale, 0 offline');

    await timers.advance(5000);
    expect(lists(rooms.take()), 'no change, no message').to.deep.equal([]);

    await store.removeConnection('web-01');
    events.emit({ kind: 'updated', hostId: 'web-01' });
    await timers.advance(1000);
    const offline = lists(rooms.take());
    expect(offline.map((update) => update.rows[0]?.html.includes('status-offline'))).to.deep.equal([true]);
  });

  it('should push a removed host as removed from the list', async () => {
    await ingest('web-01', 1);
    await ingest('web-02', 1);
    await subscribedToList();

    store.records.delete('web-02');
    events.emit({ kind: 'removed', hostId: 'web-02' });
    await timers.advance(1000);

    const [update] = lists(rooms.take());
    expect(update).to.deep.include({ rows: [], removed: ['web-02'], total: 1, summary: '1 host: 1 online, 0 stale, 0 offline' });
  });

  it('should render nothing for rooms nobody watches', async () => {
    await ingest('web-01', 1);
    await timers.advance(5000);

    expect(rooms.sent).to.deep.equal([]);
  });

  it('should send a host page its sections and the series of every snapshot since the last update', async () => {
    await ingest('web-01', 1);
    expect(await sut.subscribe('browser-1', { view: 'host', hostId: 'web-01' })).to.deep.equal({ ok: true });
    const [full] = hostUpdates(rooms.take());
    expect(full).to.deep.include({ hostId: 'web-01', removed: false, snapshots: [] });
    expect(Object.keys(full?.sections ?? {})).to.include.members(['host-heading', 'host-cpu', 'host-processes']);
    expect(full?.sections['host-cpu']).to.match(/^<section class="card" id="cpu" data-live-section="host-cpu">/);
    await timers.advance(1000);
    rooms.take();

    const firstTs = clock.now();
    await ingest('web-01', 2, 20);
    clock.advance(300);
    await ingest('web-01', 3, 30);
    await timers.advance(1000);

    const updates = hostUpdates(rooms.take());
    expect(updates).to.have.length(1);
    expect(updates[0]?.snapshots.map((point) => [point.ts, point.series['cpu'], point.series['cpu.core:1']])).to.deep.equal([
      [firstTs, 20, 15],
      [firstTs + 300, 30, 15],
    ]);
    expect(updates[0]?.sections['host-cpu']).to.contain('30.0%');
    expect(lists(rooms.sent), 'the list room is empty').to.deep.equal([]);
  });

  it('should not call a host unknown at subscribe time removed, but say so once it is forgotten', async () => {
    await sut.subscribe('browser-1', { view: 'host', hostId: 'web-09' });
    expect(hostUpdates(rooms.take())).to.deep.equal([{ now: clock.now(), hostId: 'web-09', removed: false, sections: {}, snapshots: [] }]);

    events.emit({ kind: 'removed', hostId: 'web-09' });
    await timers.advance(1000);

    expect(hostUpdates(rooms.take()).map((update) => update.removed)).to.deep.equal([true]);
  });

  it('should stop pushing once the module is destroyed', async () => {
    await ingest('web-01', 1);
    await subscribedToList();
    sut.onModuleDestroy();

    await ingest('web-01', 2);
    await timers.advance(10_000);

    expect(rooms.sent).to.deep.equal([]);
    expect(timers.pending).to.equal(0);
  });

  it('should read every host at its first sweep only, and after that only hosts whose time to turn stale is up', async () => {
    for (let index = 0; index < 50; index += 1) await ingest(`web-${index}`, 1);
    await ingest('quiet', 1);
    await subscribedToList();
    await timers.advance(500);
    const listsAfterFirst = store.lists;

    for (let second = 0; second < 5; second += 1) {
      clock.advance(500);
      // Everyone but 'quiet' keeps sending, so only 'quiet' comes due.
      for (let index = 0; index < 50; index += 1) {
        const record = store.records.get(`web-${index}`);
        if (record) record.lastSeen = clock.now();
      }
      await timers.advance(500);
    }

    expect(store.lists, 'no whole-fleet read after the first sweep').to.equal(listsAfterFirst);
    const stale = lists(rooms.take()).flatMap((update) => update.rows.map((row) => row.hostId));
    expect(stale).to.deep.equal(['quiet']);
  });

  it('should split a flush of more rows than a message holds into several messages with the same summary', async () => {
    await subscribedToList();
    const count = MAX_ROWS_PER_MESSAGE + 5;
    for (let index = 0; index < count; index += 1) await ingest(`host-${index}`, 1);
    await timers.advance(1000);

    const updates = lists(rooms.take());
    expect(updates.map((update) => update.rows.length)).to.deep.equal([MAX_ROWS_PER_MESSAGE, 5]);
    expect(new Set(updates.map((update) => update.summary))).to.deep.equal(new Set([`${count} hosts: ${count} online, 0 stale, 0 offline`]));
    expect(new Set(updates.flatMap((update) => update.rows.map((row) => row.hostId))).size).to.equal(count);
  });

  it('should keep the list counts right while nobody watches, for the first browser that comes', async () => {
    await ingest('web-01', 1);
    await ingest('web-02', 1);
    await store.removeConnection('web-02');
    events.emit({ kind: 'updated', hostId: 'web-02' });
    await timers.advance(1000);
    expect(rooms.sent, 'nothing rendered for nobody').to.deep.equal([]);

    await subscribedToList();
    await ingest('web-01', 2, 50);
    await timers.advance(1000);

    const [update] = lists(rooms.take());
    expect(update?.summary).to.equal('2 hosts: 1 online, 0 stale, 1 offline');
  });
});
