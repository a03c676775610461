import { validAuth, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, getJson, makeTempDir, send, type AgentClient, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';

describe('history API (e2e)', () => {
  let cleanup: Cleanup;
  let dataDir: string;

  beforeEach(async () => {
    cleanup = new Cleanup();
    dataDir = await makeTempDir(cleanup);
  });

  afterEach(() => cleanup.run());

  async function start(): Promise<RunningHub> {
    return startTestHub(cleanup, { agentToken: TOKEN, dataDir }, new CapturingLogger());
  }

  /** Sends snapshots one second apart, ending a few seconds ago, with cpu = 10, 20, 30...; returns their ts. */
  async function sendSeries(agent: AgentClient, count: number, firstSeq = 1): Promise<number[]> {
    const first = Date.now() - (count + 5) * 1000;
    const stamps: number[] = [];
    for (let i = 0; i < count; i++) {
      const snapshot = validSnapshot({ seq: firstSeq + i, ts: first + i * 1000 });
      snapshot.cpu.usagePercent = 10 * (i + 1);
      expect(await send(agent, 'snapshot', snapshot)).to.deep.equal({ ok: true });
      stamps.push(snapshot.ts);
    }
    return stamps;
  }

  it('should answer the stored points of a metric, and still after the hub restarts on the same data dir', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    const stamps = await sendSeries(agent, 5);

    const before = await getJson(`${hub.url}/api/hosts/web-01/history?metric=cpu`);
    expect(before).to.deep.equal({
      status: 200,
      body: { metric: 'cpu', unit: '%', tier: 'raw', points: stamps.map((ts, i) => [ts, 10 * (i + 1)]) },
    });

    agent.disconnect();
    await hub.close();
    const again = await start();

    const after = await getJson(`${again.url}/api/hosts/web-01/history?metric=cpu&from=${stamps[0]}&to=${Date.now()}&points=10`);
    expect(after).to.deep.equal(before);
    const list = await getJson(`${again.url}/api/hosts/web-01/history`);
    expect(list.status).to.equal(200);
    expect(list.body).to.have.property('hostId', 'web-01');
    expect((list.body as { metrics: unknown[] }).metrics).to.deep.include.members([
      { name: 'cpu', unit: '%' },
      { name: 'memory.used', unit: 'bytes' },
      { name: 'net.rx:eth0', unit: 'bytes/s' },
    ]);
  });

  it('should keep a replayed older snapshot in the history without rewinding the latest one', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    const now = Date.now();

    await send(agent, 'snapshot', validSnapshot({ seq: 2, ts: now - 2000 }));
    await send(agent, 'snapshot', validSnapshot({ seq: 1, ts: now - 3000 }));

    const history = await getJson(`${hub.url}/api/hosts/web-01/history?metric=cpu`);
    expect((history.body as { points: number[][] }).points.map(([ts]) => ts)).to.deep.equal([now - 3000, now - 2000]);
    const host = await getJson(`${hub.url}/api/hosts/web-01`);
    expect(host.body).to.have.nested.property('metrics.seq', 2);
  });

  it('should answer a bad query with a 400 naming the parameter, and an unknown host with a 404', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    await sendSeries(agent, 1);
    const base = `${hub.url}/api/hosts/web-01/history`;

    const cases: Array<[string, string]> = [
      ['?metric=nope', "Invalid query parameter 'metric': host 'web-01' has no metric 'nope'"],
      ['?metric=cpu&points=0', "Invalid query parameter 'points'"],
      ['?metric=cpu&points=10001', "Invalid query parameter 'points'"],
      ['?metric=cpu&from=yesterday', "Invalid query parameter 'from'"],
      ['?metric=cpu&to=-5', "Invalid query parameter 'to'"],
      ['?metric=cpu&from=2000&to=1000', "Invalid query parameters 'from' and 'to'"],
      ['?metric=cpu&metric=load.1', "Invalid query parameter 'metric'"],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await getJson(`${base}${query}`);
      expect(status, query).to.equal(400);
      expect(body, query).to.have.property('message').that.contains(message);
    }

    const unknown = await getJson(`${hub.url}/api/hosts/nope/history?metric=cpu`);
    expect(unknown).to.deep.equal({ status: 404, body: { statusCode: 404, message: "Unknown host 'nope'", error: 'Not Found' } });
  });

  it('should forget a host and its history on DELETE, and 404 a host it does not know', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    await sendSeries(agent, 3);
    agent.disconnect();

    const removed = await fetch(`${hub.url}/api/hosts/web-01`, { method: 'DELETE' });

    expect(removed.status).to.equal(204);
    expect((await getJson(`${hub.url}/api/hosts/web-01`)).status).to.equal(404);
    expect((await getJson(`${hub.url}/api/hosts/web-01/history?metric=cpu`)).status).to.equal(404);
    expect((await getJson(`${hub.url}/api/hosts`)).body).to.deep.equal([]);
    const again = await fetch(`${hub.url}/api/hosts/web-01`, { method: 'DELETE' });
    expect(again.status).to.equal(404);
    expect(await again.json()).to.deep.include({ message: "Unknown host 'web-01'" });
  });

  it('should register a host forgotten while its agent stays connected when it sends again', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    await sendSeries(agent, 2);

    expect((await fetch(`${hub.url}/api/hosts/web-01`, { method: 'DELETE' })).status).to.equal(204);
    await sendSeries(agent, 1, 100);

    const host = await getJson(`${hub.url}/api/hosts/web-01`);
    expect(host.body).to.deep.include({ hostId: 'web-01', connected: true });
    const history = await getJson(`${hub.url}/api/hosts/web-01/history?metric=cpu`);
    expect((history.body as { points: unknown[] }).points).to.have.length(1);
  });
});
