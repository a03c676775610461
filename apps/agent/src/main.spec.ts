import { expect } from 'chai';
import { hostname } from 'node:os';
import { AgentProcess } from './testing/agent-process';
import { waitFor } from './testing/deferred';
import { TestHub } from './testing/test-hub';

const TOKEN = 'process-test-token';

// These run the real collector on this machine: collecting facts and a sample takes a moment.
describe('the agent process (node dist/main.js)', () => {
  let processes: AgentProcess[];
  let hubs: TestHub[];

  function start(args: string[], env: Record<string, string> = {}): AgentProcess {
    const agent = AgentProcess.start(args, env);
    processes.push(agent);
    return agent;
  }

  async function startHub(): Promise<TestHub> {
    const hub = await TestHub.start({ token: TOKEN });
    hubs.push(hub);
    return hub;
  }

  beforeEach(() => {
    processes = [];
    hubs = [];
  });

  afterEach(async () => {
    await Promise.all(processes.map((agent) => agent.kill()));
    await Promise.all(hubs.map((hub) => hub.close()));
  });

  it('should exit 2 naming --interval when --interval is not a number', async () => {
    const sut = start(['--hub', 'http://127.0.0.1:9', '--token', 't', '--interval', 'abc']);
    expect(await sut.exitWithin(10_000)).to.deep.equal({ code: 2, signal: null });
    expect(sut.stderr).to.contain('invalid configuration: --interval: must be a number >= 0.1');
  });

  it('should exit 2 naming HOSTWATCH_INTERVAL when the variable is not a number', async () => {
    const sut = start([], { HOSTWATCH_HUB: 'http://127.0.0.1:9', HOSTWATCH_TOKEN: 't', HOSTWATCH_INTERVAL: 'abc' });
    expect(await sut.exitWithin(10_000)).to.deep.equal({ code: 2, signal: null });
    expect(sut.stderr).to.contain('invalid configuration: HOSTWATCH_INTERVAL: must be a number >= 0.1');
  });

  it('should exit 2 naming both flags when hub and token are missing', async () => {
    const sut = start([]);
    expect(await sut.exitWithin(10_000)).to.deep.equal({ code: 2, signal: null });
    expect(sut.stderr).to.contain('--hub / HOSTWATCH_HUB: required unless --once');
    expect(sut.stderr).to.contain('--token / HOSTWATCH_TOKEN: required unless --once');
  });

  it('should print the tables with this host name and exit 0 with --once, without a hub', async () => {
    const sut = start(['--once']);
    expect(await sut.exitWithin(15_000)).to.deep.equal({ code: 0, signal: null });
    expect(sut.stdout).to.contain(hostname());
  });

  it('should exit 3 with "refused the token" when the hub refuses the token, without retrying', async () => {
    const hub = await startHub();
    const sut = start(['--hub', hub.url, '--token', 'wrong-token', '--interval', '1']);
    expect(await sut.exitWithin(15_000)).to.deep.equal({ code: 3, signal: null });
    expect(sut.stderr).to.match(/ERROR hub refused the token \(UNAUTHORIZED\): check --token \/ HOSTWATCH_TOKEN/);
    expect(hub.handshakes).to.equal(1);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`should stop cleanly with exit code 0 within a second of ${signal}`, async () => {
      const hub = await startHub();
      const sut = start(['--hub', hub.url, '--interval', '0.5'], { HOSTWATCH_TOKEN: TOKEN });
      await waitFor(() => hub.snapshots().length >= 1 || !sut.running, 'the first snapshot', 15_000);
      expect(sut.running, sut.stderr).to.equal(true);
      const sentAt = Date.now();
      sut.child.kill(signal);
      expect(await sut.exitWithin(1000)).to.deep.equal({ code: 0, signal: null });
      expect(Date.now() - sentAt).to.be.below(1000);
      expect(sut.stderr).to.contain('INFO stopped');
    });
  }

  it('should push snapshots with the host id it was given and seq increasing', async () => {
    const hub = await startHub();
    const sut = start(['--hub', hub.url, '--token', TOKEN, '--interval', '0.3', '--host-id', 'proc-test-01']);
    await waitFor(() => hub.snapshots().length >= 3 || !sut.running, 'three snapshots', 15_000);
    expect(sut.running, sut.stderr).to.equal(true);
    expect(hub.events()[0]).to.equal('facts');
    const snapshots = hub.snapshots().slice(0, 3);
    expect(snapshots.map((snapshot) => snapshot.hostId)).to.deep.equal(['proc-test-01', 'proc-test-01', 'proc-test-01']);
    expect(snapshots[1].seq).to.equal(snapshots[0].seq + 1);
    expect(snapshots[2].seq).to.equal(snapshots[1].seq + 1);
  });
});
