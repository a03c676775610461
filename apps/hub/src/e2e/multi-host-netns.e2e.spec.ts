import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../ingest/agent-io.adapter';
import type { HubConfig } from '../core/hub-config';
import type { HostStatus } from '../hosts/host.types';
import { startHub, type RunningHub } from '../hub';
import type { HistoryResult } from '../store/history.repository';
import { HistoryService } from '../history/history.service';
import { HostService, STALE_AFTER_INTERVALS } from '../hosts/host.service';
import { Cleanup, eventually, makeTempDir } from './e2e.helpers';
import { AGENT_MAIN, gapsIn, seqJumps, sleep, storedSamples } from './hub-process';
import { addNetnsLink, freeSubnets, netnsUnavailable, removeNetnsLink, setLink, type NetnsLink } from './netns';

const TOKEN = 'netns-e2e-token-0123456789';
const INTERVAL_MS = 500;
/** A cut link is noticed by the missed ping: the hub pings every PING_INTERVAL_MS and waits PING_TIMEOUT_MS for the pong. */
const OFFLINE_BOUND_MS = PING_INTERVAL_MS + PING_TIMEOUT_MS;
/** How late a check may see what the hub already decided, on a busy machine. */
const SLACK_MS = 3000;
/** Longer steps between samples than this are a hole in time; shorter ones are a late sample on a busy machine, which the seqs tell apart from a loss. */
const LATE_SAMPLE_INTERVALS = 5;

interface NsAgent {
  hostId: string;
  link: NetnsLink;
  output(): string;
}

describe('three hosts on three network namespaces (e2e)', function () {
  // Startup, the offline bound, and the agent's reconnection backoff after the link is back.
  this.timeout(OFFLINE_BOUND_MS + 120_000);
  let cleanup: Cleanup;
  let hub: RunningHub;
  let agents: NsAgent[];
  let dataDir: string;

  before(async function () {
    const why = await netnsUnavailable();
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
  });

  beforeEach(async function () {
    cleanup = new Cleanup();
    const octets = freeSubnets(3);
    const links: NetnsLink[] = [];
    for (const [i, octet] of octets.entries()) {
      const name = `hw${process.pid % 100_000}x${i}`;
      cleanup.add(() => removeNetnsLink(name));
      links.push(await addNetnsLink(name, octet));
    }
    dataDir = await makeTempDir(cleanup);
    // Every address of the machine, so that each namespace reaches it on its own link's address.
    const config: HubConfig = { port: 0, host: '0.0.0.0', dataDir, agentToken: TOKEN, singleHost: false };
    hub = await startHub(config, { logger: false });
    cleanup.add(() => hub.close());
    agents = links.map((link, i) => startAgentIn(link, `netns-host-${i + 1}`));
  });

  afterEach(() => cleanup.run());

  /** `ip netns exec NS node agent ...`: the agent's only way out is its veth to the root namespace. */
  function startAgentIn(link: NetnsLink, hostId: string): NsAgent {
    const hubUrl = `http://${link.rootAddress}:${hub.port}`;
    const child = spawn(
      'ip',
      ['netns', 'exec', link.namespace, process.execPath, AGENT_MAIN, '--hub', hubUrl, '--host-id', hostId, '--interval', String(INTERVAL_MS / 1000)],
      {
        // The state dir the test run set up keeps host keys out of the real home.
        env: { PATH: process.env['PATH'], XDG_STATE_HOME: process.env['XDG_STATE_HOME'], HOSTWATCH_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanup.add(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    return { hostId, link, output: () => output };
  }

  async function status(hostId: string): Promise<HostStatus> {
    return (await hub.app.get(HostService).get(hostId)).status;
  }

  async function cpuStamps(hostId: string, from: number, to: number): Promise<number[]> {
    const result = (await hub.app.get(HistoryService).read(hostId, { metric: 'cpu', from: String(from), to: String(to), points: '10000' })) as HistoryResult;
    expect(result.tier).to.equal('raw');
    return result.points.map(([ts]) => ts);
  }

  it('should list all three online, mark a cut one stale then offline within the ping bound, and backfill it once the link is back', async () => {
    const started = Date.now();
    await eventually(
      async () => {
        for (const agent of agents) expect(await status(agent.hostId), `${agent.hostId}:\n${agent.output()}`).to.equal('online');
      },
      60_000,
      250,
    );
    const [cut, ...others] = agents as [NsAgent, NsAgent, NsAgent];
    // Some history on both sides of the cut, so that a gap at its start would show.
    await sleep(2000);

    await setLink(cut.link.rootVeth, 'down');
    const cutAt = Date.now();

    await eventually(async () => expect(await status(cut.hostId)).to.equal('stale'), STALE_AFTER_INTERVALS * INTERVAL_MS + SLACK_MS, 100);
    const staleAfter = Date.now() - cutAt;
    await eventually(async () => expect(await status(cut.hostId)).to.equal('offline'), OFFLINE_BOUND_MS + SLACK_MS, 250);
    const offlineAfter = Date.now() - cutAt;
    for (const other of others) expect(await status(other.hostId), other.hostId).to.equal('online');
    console.log(`    cut link: stale after ${staleAfter} ms, offline after ${offlineAfter} ms (bound ${OFFLINE_BOUND_MS} ms)`);

    await setLink(cut.link.rootVeth, 'up');
    const restoredAt = Date.now();

    // The agent's reconnection backoff decides when; up to 30 s between tries.
    await eventually(async () => expect(await status(cut.hostId)).to.equal('online'), 60_000, 250);
    const stamps = await eventually(
      async () => {
        const all = await cpuStamps(cut.hostId, started - 60_000, Date.now());
        expect(all.at(-1), 'no live sample after the link came back yet').to.be.above(restoredAt);
        return all;
      },
      30_000,
      250,
    );

    const during = stamps.filter((ts) => ts > cutAt && ts < restoredAt);
    expect(during.length, 'samples taken while the link was cut').to.be.at.least(Math.floor((restoredAt - cutAt) / INTERVAL_MS / 2));
    expect(stamps[0]).to.be.below(cutAt - 1000);
    const gaps = gapsIn(stamps, 1.5 * INTERVAL_MS);
    for (const gap of gaps) expect(gap.to - gap.from, `gaps: ${JSON.stringify(gaps)}`).to.be.at.most(LATE_SAMPLE_INTERVALS * INTERVAL_MS);
    expect(seqJumps(storedSamples(dataDir, cut.hostId)), 'seqs missing from the history').to.deep.equal([]);
    for (const other of others) expect(await status(other.hostId), other.hostId).to.equal('online');
  });
});
