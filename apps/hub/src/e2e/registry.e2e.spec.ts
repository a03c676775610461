import { encodeSnapshot } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HostDto } from '../hosts/host.dto';
import { Cleanup, connectAgent, getJson, makeTempDir, send } from './e2e.helpers';
import { cpuHistory, startHubProcess, stopHubProcess, type HubProcess } from './hub-process';

const TOKEN = 'registry-e2e-token-0123456789abcdef';

describe('hosts across hub restarts (e2e, real hub processes)', function () {
  this.timeout(90_000);
  let cleanup: Cleanup;
  let dataDir: string;

  beforeEach(async () => {
    cleanup = new Cleanup();
    dataDir = await makeTempDir(cleanup);
  });

  afterEach(() => cleanup.run());

  const hub = (): Promise<HubProcess> => startHubProcess({ dataDir, token: TOKEN }, cleanup);

  async function hostsOf(url: string): Promise<HostDto[]> {
    const { status, body } = await getJson(`${url}/api/hosts`);
    expect(status).to.equal(200);
    return body as HostDto[];
  }

  async function report(url: string, hostId: string, hostname: string, seq: number): Promise<void> {
    const agent = await connectAgent(url, validAuth(TOKEN, { hostId, agentVersion: '9.1.2' }), cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname }))).to.deep.equal({ ok: true });
    const snapshot = validSnapshot({ hostId, seq, ts: Date.now() - 1000 });
    snapshot.cpu.usagePercent = 37.5;
    expect(await send(agent, 'snapshot', encodeSnapshot(snapshot))).to.deep.equal({ ok: true });
    agent.disconnect();
  }

  it('should list every known host at once after a restart, offline with its last values, until a person deletes it', async () => {
    const first = await hub();
    await report(first.url, 'kept-01', 'kept-host', 3);
    await report(first.url, 'gone-01', 'gone-host', 1);
    const before = await hostsOf(first.url);
    await stopHubProcess(first);

    const second = await hub();
    // The first answer already: no agent has reported to this process.
    const after = await hostsOf(second.url);
    expect(after.map((host) => host.hostId)).to.deep.equal(['gone-01', 'kept-01']);
    for (const host of after) {
      const earlier = before.find((one) => one.hostId === host.hostId)!;
      expect(host).to.deep.equal({ ...earlier, status: 'offline', connected: false });
    }
    const kept = after.find((host) => host.hostId === 'kept-01')!;
    expect(kept).to.include({ hostname: 'kept-host', agentVersion: '9.1.2', intervalMs: 5000 });
    expect(kept.lastSeen).to.be.a('number');
    expect(kept.metrics?.cpu.usagePercent).to.equal(37.5);

    const list = await fetch(`${second.url}/`);
    const listHtml = await list.text();
    expect(list.status).to.equal(200);
    expect(listHtml).to.contain('kept-host').and.to.contain('gone-host').and.to.contain('offline');
    const page = await fetch(`${second.url}/hosts/kept-01`);
    const pageHtml = await page.text();
    expect(page.status).to.equal(200);
    expect(pageHtml).to.contain('kept-host').and.to.contain('9.1.2').and.to.contain('offline');
    expect((await cpuHistory(second.url, 'kept-01', Date.now() - 120_000, Date.now())).map(([, value]) => value)).to.deep.equal([37.5]);

    expect((await fetch(`${second.url}/api/hosts/gone-01`, { method: 'DELETE' })).status).to.equal(204);
    expect((await getJson(`${second.url}/api/hosts/gone-01`)).status).to.equal(404);
    await stopHubProcess(second);

    const third = await hub();
    expect((await hostsOf(third.url)).map((host) => host.hostId)).to.deep.equal(['kept-01']);
    expect((await getJson(`${third.url}/api/hosts/gone-01`)).status).to.equal(404);
    expect((await fetch(`${third.url}/hosts/gone-01`)).status).to.equal(404);

    // Back online as soon as its agent reports again.
    await report(third.url, 'kept-01', 'kept-host', 4);
    const [back] = await hostsOf(third.url);
    expect(back?.metrics?.seq).to.equal(4);
    expect(back?.lastSeen).to.be.above(kept.lastSeen!);
  });
});
