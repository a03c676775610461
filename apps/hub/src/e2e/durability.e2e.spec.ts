import { validAuth, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { Cleanup, connectAgent, eventually, getJson, makeTempDir, send, spawnNode, type AgentClient } from './e2e.helpers';
import { AGENT_MAIN, cpuHistory, gapsIn, seqJumps, sleep, startHubProcess, stopHubProcess, storedSamples, type HubProcess } from './hub-process';

const TOKEN = 'durability-e2e-token-0123456789';
/** The most snapshots one history query returns unaveraged; the stream stays below it. */
const MAX_STREAM = 9000;
const IN_FLIGHT = 32;
/**
 * A step between samples longer than 1.5 intervals that the seqs show to be
 * no loss: on a busy machine a sample can start late or skip a tick. Any step
 * longer than this is a hole in time, as a lost outage would leave.
 */
const LATE_SAMPLE_INTERVALS = 5;

describe('no data lost (e2e, real hub processes)', function () {
  this.timeout(90_000);
  let cleanup: Cleanup;
  let dataDir: string;

  beforeEach(async () => {
    cleanup = new Cleanup();
    dataDir = await makeTempDir(cleanup);
  });

  afterEach(() => cleanup.run());

  const hub = (port = 0): Promise<HubProcess> => startHubProcess({ dataDir, token: TOKEN, port }, cleanup);

  /**
   * Streams snapshots as fast as the hub acks them, IN_FLIGHT at a time, one
   * millisecond apart in ts, until the socket goes; returns the seqs acked ok.
   */
  async function streamUntilCut(agent: AgentClient, firstTs: number, acked: Set<number>): Promise<void> {
    let next = 1;
    let cut = false;
    agent.once('disconnect', () => (cut = true));
    const lane = async (): Promise<void> => {
      while (!cut && next <= MAX_STREAM) {
        const seq = next++;
        const snapshot = validSnapshot({ hostId: 'durable-kill', seq, ts: firstTs + seq });
        snapshot.cpu.usagePercent = seq % 100;
        try {
          const ack = await send(agent, 'snapshot', snapshot);
          if (ack.ok) acked.add(seq);
        } catch {
          // No ack: the hub died with this one in flight, and it promised nothing.
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  it('should keep every acked snapshot when the hub is killed with SIGKILL mid-stream', async () => {
    const first = await hub();
    const agent = await connectAgent(first.url, validAuth(TOKEN, { hostId: 'durable-kill' }), cleanup);
    const firstTs = Date.now() - 60_000;
    const acked = new Set<number>();

    const streaming = streamUntilCut(agent, firstTs, acked);
    await eventually(async () => expect(acked.size).to.be.at.least(200), 20_000, 5);
    // A random moment, so that over many runs the kill lands inside a commit, between commits and between acks.
    await sleep(Math.floor(Math.random() * 400));
    first.process.child.kill('SIGKILL');
    await first.process.exited;
    await streaming;
    expect(acked.size, 'the stream ran past its end before the kill').to.be.below(MAX_STREAM);

    const second = await hub();
    const points = await cpuHistory(second.url, 'durable-kill', firstTs, firstTs + MAX_STREAM + 1);

    const stored = new Map(points.map(([ts, value]) => [ts - firstTs, value]));
    const lost = [...acked].filter((seq) => stored.get(seq) !== seq % 100);
    expect(lost, `${lost.length} of ${acked.size} acked snapshots missing after the kill`).to.deep.equal([]);
  });

  it('should leave no gap in history when the hub is stopped and started again under a live agent', async () => {
    const intervalMs = 200;
    const first = await hub();
    const agent = spawnNode(
      AGENT_MAIN,
      ['--hub', first.url, '--host-id', 'durable-restart', '--interval', String(intervalMs / 1000)],
      { HOSTWATCH_TOKEN: TOKEN },
      cleanup,
    );
    const start = Date.now();
    await eventually(async () => expect((await cpuHistory(first.url, 'durable-restart', start - 60_000, Date.now())).length).to.be.at.least(10), 30_000, 200);

    await stopHubProcess(first);
    const stoppedAt = Date.now();
    await sleep(3000);
    const second = await hub(first.port);
    const restartedAt = Date.now();

    // Replayed once the agent's backoff brings it back, then live again.
    const points = await eventually(
      async () => {
        const all = await cpuHistory(second.url, 'durable-restart', start - 60_000, Date.now());
        expect(all.at(-1)?.[0], 'no live sample after the restart yet').to.be.above(restartedAt + 1000);
        return all;
      },
      30_000,
      250,
    );

    const stamps = points.map(([ts]) => ts);
    expect(stamps[0]).to.be.below(stoppedAt - 1000);
    expect(stamps.filter((ts) => ts > stoppedAt && ts < restartedAt).length, 'samples taken while the hub was down').to.be.at.least(7);
    const gaps = gapsIn(stamps, 1.5 * intervalMs);
    for (const gap of gaps) expect(gap.to - gap.from, `gaps: ${JSON.stringify(gaps)}`).to.be.at.most(LATE_SAMPLE_INTERVALS * intervalMs);
    const samples = storedSamples(dataDir, 'durable-restart');
    expect(seqJumps(samples), 'seqs missing from the history').to.deep.equal([]);
    expect(samples.map((sample) => sample.ts)).to.include.members(stamps);
    expect(agent.output()).to.contain('lost the hub');
  });

  it('should lose nothing when the agent is killed and restarted with a spool while the hub is down', async () => {
    const intervalMs = 200;
    const spoolDir = await makeTempDir(cleanup);
    const args = (url: string) => ['--hub', url, '--host-id', 'durable-spool', '--interval', String(intervalMs / 1000), '--spool-dir', spoolDir];
    const first = await hub();
    const firstAgent = spawnNode(AGENT_MAIN, args(first.url), { HOSTWATCH_TOKEN: TOKEN }, cleanup);
    const start = Date.now();
    await eventually(async () => expect((await cpuHistory(first.url, 'durable-spool', start - 60_000, Date.now())).length).to.be.at.least(5), 30_000, 200);

    await stopHubProcess(first);
    const hubStoppedAt = Date.now();
    await sleep(2000);
    firstAgent.child.kill('SIGKILL');
    await firstAgent.exited;
    const agentKilledAt = Date.now();
    const secondAgent = spawnNode(AGENT_MAIN, args(first.url), { HOSTWATCH_TOKEN: TOKEN }, cleanup);
    await secondAgent.waitFor(/cannot reach the hub/, 30_000);
    const secondAgentSampling = Date.now();
    await sleep(1500);
    const second = await hub(first.port);
    const restartedAt = Date.now();

    const points = await eventually(
      async () => {
        const all = await cpuHistory(second.url, 'durable-spool', start - 60_000, Date.now());
        expect(all.at(-1)?.[0], 'no live sample after the restart yet').to.be.above(restartedAt + 1000);
        return all;
      },
      30_000,
      250,
    );

    const stamps = points.map(([ts]) => ts);
    const whileHubDown = stamps.filter((ts) => ts > hubStoppedAt && ts < agentKilledAt);
    // Two seconds at 0.2 s, less a sample cut short by the kill and any skipped ticks.
    expect(whileHubDown.length, 'samples the killed agent only had in its spool').to.be.at.least(7);
    // Each agent's seqs are whole; the one jump is the new agent starting above what the spool held.
    const jumps = seqJumps(storedSamples(dataDir, 'durable-spool'));
    expect(jumps, 'seq jumps besides the agent restart').to.have.length(1);
    const restart = jumps[0]!;
    // The killed agent's samples up to the kill were kept in its spool...
    expect(restart.from.ts)
      .to.be.at.least(agentKilledAt - 3 * intervalMs)
      .and.below(agentKilledAt);
    // ...and the new agent's from its start, with the hub still down, were replayed too.
    expect(restart.to.ts)
      .to.be.above(agentKilledAt)
      .and.at.most(secondAgentSampling + 1000);
    const gaps = gapsIn(stamps, 1.5 * intervalMs).filter((gap) => gap.from !== restart.from.ts);
    for (const gap of gaps) expect(gap.to - gap.from, `gaps: ${JSON.stringify(gaps)}`).to.be.at.most(LATE_SAMPLE_INTERVALS * intervalMs);
    expect(restart.to.seq).to.be.above(restart.from.seq);
    const health = await getJson(`${second.url}/healthz`);
    expect(health.status).to.equal(200);
  });
});
