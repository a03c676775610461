import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { Cleanup, eventually, getJson, isAlive, makeTempDir, spawnNode } from './e2e.helpers';
import { agentLaunch } from '../single-host/agent-launch';
import { AGENT_MAIN } from './hub-process';

const MAIN = path.resolve(__dirname, '..', 'main.js');

interface ApiHost {
  hostId: string;
  hostname: string | null;
  status: string;
  metrics: { processes: { top: Array<{ pid: number }> }; memory: { totalBytes: number } } | null;
}

describe('single-host mode (e2e)', function () {
  // Two real processes on a shared 2-core machine: start-up alone can take seconds.
  this.timeout(60_000);
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  it("should show this machine on the dashboard, run its agent with the agent's node flags, and stop both processes on Ctrl-C", async () => {
    const dataDir = await makeTempDir(cleanup);
    const hub = spawnNode(MAIN, ['--single-host', '--port', '0', '--data-dir', dataDir], { HOSTWATCH_INTERVAL: '1' }, cleanup);
    const [, url] = await hub.waitFor(/Dashboard at (http:\/\/127\.0\.0\.1:\d+)\//);
    const [, agentPid] = await hub.waitFor(/Started this machine's agent \(pid (\d+)\)/);
    cleanup.add(() => {
      if (isAlive(Number(agentPid))) process.kill(Number(agentPid), 'SIGKILL');
    });
    if (process.platform === 'linux') {
      const [node, ...args] = readFileSync(`/proc/${agentPid}/cmdline`, 'utf8').split('\0').slice(0, -1);
      expect(path.basename(node ?? '')).to.match(/^node/);
      expect(agentLaunch().nodeFlags, "the flags of the agent bin's shebang").to.include('--jitless');
      expect(args).to.deep.equal([...agentLaunch().nodeFlags, AGENT_MAIN, '--hub', url]);
    }

    const host = await eventually(
      async () => {
        const hosts = (await getJson(`${url}/api/hosts`)).body as ApiHost[];
        expect(hosts).to.have.length(1);
        expect(hosts[0].metrics, 'a first snapshot').to.not.equal(null);
        return hosts[0];
      },
      30_000,
      250,
    );
    expect(host.hostname).to.equal(os.hostname());
    expect(host.status).to.equal('online');
    expect(host.metrics?.memory.totalBytes).to.equal(os.totalmem());

    const list = await (await fetch(`${url}/`)).text();
    expect(list)
      .to.contain(os.hostname())
      .and.contain(`/hosts/${encodeURIComponent(host.hostId)}`);
    const detail = await (await fetch(`${url}/hosts/${encodeURIComponent(host.hostId)}`)).text();
    const pids = host.metrics?.processes.top.map((p) => p.pid) ?? [];
    expect(pids).to.have.length(5);
    for (const pid of pids) expect(detail).to.contain(`>${pid}<`);

    hub.child.kill('SIGINT');
    const exit = await hub.exited;

    expect(exit.code).to.equal(0);
    await eventually(async () => expect(isAlive(Number(agentPid)), 'the agent process').to.equal(false), 5000);
  });
});
