import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HostDto } from '../hosts/host.dto';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, getJson, send, type AgentClient, startTestHub } from './e2e.helpers';
import { connectLive } from './live-client';

const TOKEN = 'e2e-token-0123456789';

function snapshotWithCpu(seq: number, usagePercent: number, hostId = 'web-01') {
  const snapshot = validSnapshot({ hostId, seq, ts: Date.now() });
  return { ...snapshot, cpu: { ...snapshot.cpu, usagePercent } };
}

describe('live namespace (e2e)', () => {
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  async function start(): Promise<RunningHub> {
    return startTestHub(cleanup, { agentToken: TOKEN }, new CapturingLogger());
  }

  async function agentWithSnapshot(hub: RunningHub, hostId = 'web-01', intervalMs = 5000): Promise<AgentClient> {
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId, intervalMs }), cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: `${hostId}.example` }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', snapshotWithCpu(1, 10, hostId))).to.deep.equal({ ok: true });
    return agent;
  }

  it('should serve the socket.io client and the page script to browsers', async () => {
    const hub = await start();

    const client = await fetch(`${hub.url}/socket.io/socket.io.min.js`);
    const script = await fetch(`${hub.url}/static/live.js`);

    expect(client.status).to.equal(200);
    expect(client.headers.get('content-type')).to.match(/javascript/);
    expect(await client.text()).to.contain('Socket.IO');
    expect(script.status).to.equal(200);
    expect(await script.text()).to.contain("'/live'");
  });

  it('should send a list subscriber the whole list, then only the row of the host that pushed', async () => {
    const hub = await start();
    const web = await agentWithSnapshot(hub, 'web-01');
    await agentWithSnapshot(hub, 'db-01');
    const browser = await connectLive(hub.url, cleanup);

    expect(await browser.subscribe({ view: 'list' })).to.deep.equal({ ok: true });
    const full = await browser.waitForList((update) => update.full);
    expect(full).to.deep.include({ total: 2, summary: '2 hosts: 2 online, 0 stale, 0 offline' });
    expect(full.html).to.contain('<tr data-host-id="db-01"').and.contain('<tr data-host-id="web-01"').and.contain('10.0%');

    // Changes from before the subscription may still be due in the next flush; let them go out first.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const seen = browser.lists.length;
    expect(await send(web, 'snapshot', snapshotWithCpu(2, 55.5))).to.deep.equal({ ok: true });

    const update = await browser.waitForList((candidate) => candidate.rows.some((row) => row.html.includes('55.5%')), seen);
    expect(update.full).to.equal(false);
    expect(update.rows.map((row) => row.hostId)).to.deep.equal(['web-01']);
    expect(update.rows[0]?.html).to.match(/^<tr data-host-id="web-01" data-host-name="web-01.example">/);
    expect(update.rows[0]?.html, 'sparklines from both samples').to.contain('CPU, last 2 samples, now 55.5 %');
  });

  it('should push a silent host turning stale, then offline once its agent is gone', async () => {
    const hub = await start();
    const agent = await agentWithSnapshot(hub, 'web-01', 200);
    const browser = await connectLive(hub.url, cleanup);
    await browser.subscribe({ view: 'list' });

    const stale = await browser.waitForList((update) => update.rows.some((row) => row.html.includes('status-stale')));
    expect(stale.summary).to.equal('1 host: 0 online, 1 stale, 0 offline');

    agent.disconnect();
    const offline = await browser.waitForList((update) => update.rows.some((row) => row.html.includes('status-offline')));
    expect(offline.summary).to.equal('1 host: 0 online, 0 stale, 1 offline');
  });

  it('should send a host page its sections, then the new sections and series of each snapshot', async () => {
    const hub = await start();
    const agent = await agentWithSnapshot(hub, 'web-01');
    const browser = await connectLive(hub.url, cleanup);

    expect(await browser.subscribe({ view: 'host', hostId: 'web-01' })).to.deep.equal({ ok: true });
    const full = await browser.waitForHost(() => true);
    expect(full).to.deep.include({ hostId: 'web-01', removed: false, snapshots: [] });
    expect(full.sections['host-heading']).to.contain('<h1><bdi>web-01.example</bdi></h1>');

    const seen = browser.hosts.length;
    const snapshot = snapshotWithCpu(2, 66.6);
    expect(await send(agent, 'snapshot', snapshot)).to.deep.equal({ ok: true });

    const update = await browser.waitForHost((candidate) => candidate.snapshots.some((point) => point.ts === snapshot.ts), seen);
    // The first snapshot's change may still be on its way when the page subscribes; its point then follows
    // the full view (the chart drops a point it already has), but never twice and never out of order.
    const points = browser.hosts.slice(seen).flatMap((candidate) => candidate.snapshots.map((point) => point.ts));
    expect(points.at(-1)).to.equal(snapshot.ts);
    expect(points, 'at most the first snapshot before the new one').to.have.length.at.most(2);
    expect(points[0]).to.be.at.most(snapshot.ts);
    expect(new Set(points).size).to.equal(points.length);
    expect(update.snapshots.at(-1)?.ts).to.equal(snapshot.ts);
    expect(update.snapshots.at(-1)?.series).to.include({ cpu: 66.6, 'cpu.core:0': 10, 'load.1': 0.42 });
    expect(update.sections['host-cpu']).to.contain('66.6%');
    expect(browser.lists, 'a host page does not get the list').to.deep.equal([]);
  });

  it('should push a forgotten host as removed, to the list and to its page', async () => {
    const hub = await start();
    await agentWithSnapshot(hub, 'web-01');
    await agentWithSnapshot(hub, 'db-01');
    const list = await connectLive(hub.url, cleanup);
    const page = await connectLive(hub.url, cleanup);
    await list.subscribe({ view: 'list' });
    await page.subscribe({ view: 'host', hostId: 'web-01' });
    await list.waitForList((update) => update.full);
    await page.waitForHost(() => true);

    expect((await fetch(`${hub.url}/api/hosts/web-01`, { method: 'DELETE' })).status).to.equal(204);

    const removed = await list.waitForList((update) => update.removed.length > 0);
    expect(removed).to.deep.include({ removed: ['web-01'], total: 1, summary: '1 host: 1 online, 0 stale, 0 offline' });
    expect(removed.rows.map((row) => row.hostId)).to.not.include('web-01');
    expect((await page.waitForHost((update) => update.removed)).hostId).to.equal('web-01');
  });

  it('should not call a host it does not know yet removed, since its agent may be on its way', async () => {
    const hub = await start();
    const page = await connectLive(hub.url, cleanup);

    expect(await page.subscribe({ view: 'host', hostId: 'web-01' })).to.deep.equal({ ok: true });
    expect(await page.waitForHost(() => true)).to.deep.include({ hostId: 'web-01', removed: false, sections: {} });

    await agentWithSnapshot(hub, 'web-01');
    const update = await page.waitForHost((candidate) => candidate.sections['host-cpu']?.includes('10.0%') === true);
    expect(update.removed).to.equal(false);
    expect(update.sections['host-heading']).to.contain('<h1><bdi>web-01.example</bdi></h1>');
  });

  it('should store nothing and answer nothing when a browser emits what agents send', async () => {
    const hub = await start();
    await agentWithSnapshot(hub, 'web-01');
    const browser = await connectLive(hub.url, cleanup);
    const untyped = browser.socket as unknown as { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } };

    const outcomes = await Promise.all(
      [
        ['snapshot', snapshotWithCpu(99, 99.9)],
        ['snapshot', snapshotWithCpu(100, 99.9, 'intruder-01')],
        ['facts', validFacts({ hostname: 'hijacked' })],
      ].map(([event, payload]) =>
        untyped
          .timeout(1000)
          .emitWithAck(event as string, payload)
          .then(
            (ack) => ack,
            (error: Error) => error.message,
          ),
      ),
    );

    expect(outcomes).to.deep.equal(['operation has timed out', 'operation has timed out', 'operation has timed out']);
    const { body } = await getJson(`${hub.url}/api/hosts`);
    const hosts = body as HostDto[];
    expect(hosts.map((host) => [host.hostId, host.hostname, host.metrics?.seq, host.metrics?.cpu.usagePercent])).to.deep.equal([
      ['web-01', 'web-01.example', 1, 10],
    ]);
    expect(browser.socket.connected, 'the socket stays usable').to.equal(true);
    expect(await browser.subscribe({ view: 'nope' })).to.have.nested.property('error.code', 'INVALID_MESSAGE');
  });
});
