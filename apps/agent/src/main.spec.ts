import { detectLinuxRoots } from '@hostwatch/collector';
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NODE_FLAGS } from './node-flags';
import { AgentProcess } from './testing/agent-process';
import { waitFor } from './testing/deferred';
import { TestHub } from './testing/test-hub';

const TOKEN = 'process-test-token';

/** The seqs of every readable line in the spool's segment files. */
async function spooledSeqs(dir: string): Promise<number[]> {
  const seqs: number[] = [];
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.jsonl'))) {
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) {
      try {
        seqs.push((JSON.parse(line) as { seq: number }).seq);
      } catch {
        // A line being written right now.
      }
    }
  }
  return seqs;
}

async function poll(condition: () => Promise<boolean>, description: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// These run the real collector on this machine: collecting facts and a sample takes a moment.
describe('the agent process (node dist/main.js)', () => {
  let processes: AgentProcess[];
  let hubs: TestHub[];
  let tempDirs: string[];

  function start(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): AgentProcess {
    const agent = AgentProcess.start(args, env, nodeArgs);
    processes.push(agent);
    return agent;
  }

  async function startHub(): Promise<TestHub> {
    const hub = await TestHub.start({ token: TOKEN });
    hubs.push(hub);
    return hub;
  }

  async function stopHub(hub: TestHub): Promise<void> {
    hubs.splice(hubs.indexOf(hub), 1);
    await hub.close();
  }

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'hostwatch-agent-process-'));
    tempDirs.push(dir);
    return dir;
  }

  beforeEach(() => {
    processes = [];
    hubs = [];
    tempDirs = [];
  });

  afterEach(async () => {
    await Promise.all(processes.map((agent) => agent.kill()));
    await Promise.all(hubs.map((hub) => hub.close()));
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
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

  it('should push snapshots deflated under its node flags, without a warning and without loading the schema library or systeminformation, also after a restart over a spool of acknowledged snapshots', async () => {
    const hub = await startHub();
    const dir = await tempDir();
    const modulesFile = join(dir, 'modules.txt');
    const args = ['--hub', hub.url, '--token', TOKEN, '--interval', '0.3', '--host-id', 'light-test', '--spool-dir', join(dir, 'spool')];
    const run = async (snapshots: number) => {
      const nodeArgs = [...AGENT_NODE_FLAGS, '--require', join(__dirname, 'testing', 'loaded-modules.preload.js')];
      const sut = start(args, { HOSTWATCH_TEST_MODULES_FILE: modulesFile }, nodeArgs);
      await waitFor(() => hub.snapshots().length >= snapshots || !sut.running, `${snapshots} snapshots`, 15_000);
      sut.child.kill('SIGTERM');
      expect(await sut.exitWithin(5000), sut.stderr).to.deep.equal({ code: 0, signal: null });
      expect(sut.stderr).to.not.match(/warning/i);
      return (await readFile(modulesFile, 'utf8')).split('\n');
    };

    const first = await run(3);
    expect(await spooledSeqs(join(dir, 'spool')), 'the spool the second run reads').to.not.be.empty;
    const second = await run(6);

    // On Linux systeminformation answers only the facts, in a process of their own; no tables are printed here.
    const unwanted =
      detectLinuxRoots() === null ? /[\\/]node_modules[\\/](zod|cli-table3)[\\/]/ : /[\\/]node_modules[\\/](zod|systeminformation|cli-table3)[\\/]/;
    for (const modules of [first, second]) {
      expect(
        modules.some((file) => file.endsWith(join('socket.io-client', 'build', 'cjs', 'index.js'))),
        'the preload saw the agent load',
      ).to.equal(true);
      expect(modules.filter((file) => unwanted.test(file))).to.deep.equal([]);
    }
    // Snapshots travel deflated by the agent itself, with no WebSocket compression negotiated.
    expect(hub.extensions[0]).to.equal('');
    expect(hub.encodedSnapshots).to.equal(hub.snapshots().length);
  });

  it('should keep one hour of samples at the interval by default, and the --buffer size when given', async () => {
    const hub = await startHub();
    const byInterval = start(['--hub', hub.url, '--token', TOKEN, '--interval', '0.5']);
    const given = start(['--hub', hub.url, '--token', TOKEN, '--interval', '0.5'], { HOSTWATCH_BUFFER: '50' });
    const started = (agent: AgentProcess) => agent.stderr.includes('INFO hostwatch agent') || !agent.running;
    await waitFor(() => started(byInterval) && started(given), 'both agents to start', 15_000);
    expect(byInterval.stderr).to.contain('up to 7200 unacknowledged snapshots kept in memory\n');
    expect(given.stderr).to.contain('up to 50 unacknowledged snapshots kept in memory\n');
  });

  it('should lose no sample across a SIGKILL with --spool-dir: every seq reaches the next hub, in order, before the live ones', async () => {
    const spoolDir = join(await tempDir(), 'spool');
    const args = (hub: TestHub) => ['--hub', hub.url, '--token', TOKEN, '--interval', '0.3', '--host-id', 'spool-test', '--spool-dir', spoolDir];

    const firstHub = await startHub();
    const first = start(args(firstHub));
    await waitFor(() => firstHub.snapshots().length >= 2 || !first.running, 'two snapshots', 15_000);
    expect(first.running, first.stderr).to.equal(true);
    await stopHub(firstHub);
    const delivered = firstHub.snapshots().map((snapshot) => snapshot.seq);
    const lastDelivered = Math.max(...delivered);
    // Samples taken while no hub listens exist only in the agent, and on disk.
    await poll(async () => (await spooledSeqs(spoolDir)).filter((seq) => seq > lastDelivered).length >= 3, 'three samples spooled', 15_000);
    first.child.kill('SIGKILL');
    expect(await first.exitWithin(5000)).to.deep.equal({ code: null, signal: 'SIGKILL' });

    const secondHub = await startHub();
    const second = start(args(secondHub));
    await waitFor(() => /from an earlier run \(seq \d+ to \d+\)/.test(second.stderr) || !second.running, 'the spool to load', 15_000);
    const [, from, to] = /from an earlier run \(seq (\d+) to (\d+)\)/.exec(second.stderr) ?? [];
    const [spooledFrom, spooledTo] = [Number(from), Number(to)];
    expect(spooledTo - lastDelivered, 'samples taken while the hub was down').to.be.at.least(3);
    await waitFor(() => secondHub.snapshots().filter((snapshot) => snapshot.seq > spooledTo).length >= 2 || !second.running, 'two live snapshots', 15_000);
    expect(second.running, second.stderr).to.equal(true);

    const received = secondHub.snapshots().map((snapshot) => snapshot.seq);
    const live = received.filter((seq) => seq > spooledTo);
    expect(received, 'the spooled snapshots first, in order').to.deep.equal([...range(spooledFrom, spooledTo), ...live]);
    expect(live, 'the live snapshots one by one').to.deep.equal(range(live[0], live[0] + live.length - 1));
    const everySeq = [...new Set([...delivered, ...received])].filter((seq) => seq <= spooledTo).sort((a, b) => a - b);
    expect(everySeq, 'no seq of the first run missing').to.deep.equal(range(delivered[0], spooledTo));
    expect(secondHub.snapshots().every((snapshot) => snapshot.hostId === 'spool-test')).to.equal(true);
    expect(second.stderr).not.to.contain('WARN spool');
  });
});
