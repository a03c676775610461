import * as os from 'node:os';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import type { HostDto } from '../hosts/host.dto';
import { startHub, type RunningHub } from '../hub';
import { Cleanup, eventually, getJson, makeTempDir, spawnNode } from './e2e.helpers';
import { agentLaunch } from '../single-host/agent-launch';

const TOKEN = 'agent-e2e-token-0123456789';
const AGENT_MAIN = agentLaunch().entry;

describe('hub with real agent processes (e2e)', function () {
  // Real agents sample the real machine; on 2 shared cores that takes a while.
  this.timeout(60_000);
  let cleanup: Cleanup;
  let hub: RunningHub;

  beforeEach(async () => {
    cleanup = new Cleanup();
    const dataDir = await makeTempDir(cleanup);
    const config: HubConfig = { port: 0, host: '127.0.0.1', dataDir, agentToken: TOKEN, singleHost: false };
    hub = await startHub(config, { logger: false });
    cleanup.add(() => hub.close());
  });

  afterEach(() => cleanup.run());

  function agent(hostId: string, token = TOKEN) {
    return spawnNode(AGENT_MAIN, ['--hub', hub.url, '--host-id', hostId, '--interval', '0.5'], { HOSTWATCH_TOKEN: token }, cleanup);
  }

  async function host(hostId: string): Promise<HostDto> {
    const { status, body } = await getJson(`${hub.url}/api/hosts/${hostId}`);
    expect(status, JSON.stringify(body)).to.equal(200);
    return body as HostDto;
  }

  it("should list two agents with different host ids, with this machine's real stats", async () => {
    agent('e2e-alpha');
    agent('e2e-beta');

    const hosts = await eventually(
      async () => {
        const { body } = await getJson(`${hub.url}/api/hosts`);
        const list = body as HostDto[];
        expect(list.map((h) => h.hostId)).to.deep.equal(['e2e-alpha', 'e2e-beta']);
        for (const h of list) expect(h.metrics, h.hostId).to.not.equal(null);
        return list;
      },
      30_000,
      200,
    );

    for (const h of hosts) {
      expect(h.hostname).to.equal(os.hostname());
      expect(h.status).to.equal('online');
      expect(h.metrics?.memory.totalBytes).to.equal(os.totalmem());
      expect(h.metrics?.network.map((i) => i.name)).to.include.members(Object.keys(os.networkInterfaces()));
    }
    const page = await (await fetch(`${hub.url}/`)).text();
    expect(page).to.contain('/hosts/e2e-alpha').and.contain('/hosts/e2e-beta');
  });

  it('should refuse an agent with a wrong token, which exits with a clear message, and keep serving', async () => {
    const intruder = agent('e2e-intruder', 'wrong-token');

    const exit = await intruder.exited;

    expect(exit.code).to.equal(3);
    expect(exit.stderr).to.contain('hub refused the token');
    expect((await getJson(`${hub.url}/healthz`)).body).to.deep.include({ status: 'ok', hosts: 0 });
  });

  it('should mark a frozen agent stale and a killed one offline, and keep listing it', async () => {
    const frozen = agent('e2e-frozen');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('online'), 30_000, 200);

    // SIGSTOP freezes the process with its socket still open: only the silence tells.
    frozen.child.kill('SIGSTOP');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('stale'), 10_000, 100);

    frozen.child.kill('SIGKILL');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('offline'), 10_000, 100);
    const page = await (await fetch(`${hub.url}/`)).text();
    expect(page).to.contain('/hosts/e2e-frozen');
  });
});
