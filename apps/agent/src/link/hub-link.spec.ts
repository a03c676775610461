import { expect } from 'chai';
import { PROTOCOL_VERSION, ackOk, type Ack, type AgentAuth, type Snapshot } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { Agent } from '../agent/agent';
import { SnapshotBuffer } from '../buffer/snapshot-buffer';
import { describeRefusal } from '../cli/refusal-message';
import { deferred, settle, waitFor, type Deferred } from '../testing/deferred';
import { FakeCollector } from '../testing/fake-collector';
import { FakeClock, FakeTimers } from '../testing/fake-timers';
import { MemoryLogger } from '../testing/memory-logger';
import { TestHub } from '../testing/test-hub';
import { systemTimers } from '../time/timers';
import { LinkError, SocketHubLink, type HandshakeRefusal, type HubLinkHandlers, type SocketHubLinkOptions } from './hub-link';

const TOKEN = 'right-token';
const START = 1_764_000_000_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fires the agent's interval and lets the sample finish, so that the next tick is not skipped. */
async function tick(timers: FakeTimers): Promise<void> {
  timers.tick();
  await settle();
}

describe('SocketHubLink against a real socket.io hub', () => {
  let hubs: TestHub[];
  let links: SocketHubLink[];
  let agents: Agent[];
  let logger: MemoryLogger;

  async function startHub(port?: number): Promise<TestHub> {
    const hub = await TestHub.start({ token: TOKEN, port });
    hubs.push(hub);
    return hub;
  }

  function makeLink(hub: TestHub, overrides: Omit<Partial<SocketHubLinkOptions>, 'auth'> & { auth?: Partial<AgentAuth> } = {}): SocketHubLink {
    const auth: AgentAuth = {
      token: TOKEN,
      hostId: 'web-01',
      protocolVersion: PROTOCOL_VERSION,
      intervalMs: 5000,
      agentVersion: '0.1.0',
      ...overrides.auth,
    };
    const link = new SocketHubLink({
      hubUrl: hub.url,
      logger,
      timers: systemTimers,
      ackTimeoutMs: 1000,
      reconnectionDelayMs: 50,
      reconnectionDelayMaxMs: 200,
      ...overrides,
      auth,
    });
    links.push(link);
    return link;
  }

  function recordingHandlers() {
    const seen = { connects: 0, disconnects: 0, refusals: [] as HandshakeRefusal[] };
    const handlers: HubLinkHandlers = {
      connected: () => (seen.connects += 1),
      disconnected: () => (seen.disconnects += 1),
      refused: (refusal) => seen.refusals.push(refusal),
    };
    return { seen, handlers };
  }

  function startAgent(link: SocketHubLink, timers: FakeTimers, collector = new FakeCollector(), maxInFlight?: number) {
    const agent = new Agent({
      hostId: 'web-01',
      intervalMs: 5000,
      facts: collector.facts,
      collector,
      link,
      buffer: new SnapshotBuffer<Snapshot>(100),
      clock: new FakeClock(START),
      timers,
      logger,
      maxInFlight,
    });
    agents.push(agent);
    return { agent, ended: agent.run() };
  }

  beforeEach(() => {
    hubs = [];
    links = [];
    agents = [];
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    for (const agent of agents) agent.stop();
    for (const link of links) link.close();
    await Promise.all(hubs.map((hub) => hub.close()));
  });

  describe('the link alone', () => {
    it('should connect with the auth payload and resolve a send with the hub ack', async () => {
      const hub = await startHub();
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');
      expect(sut.isConnected()).to.equal(true);
      expect(await sut.sendFacts(validFacts())).to.deep.equal({ ok: true });
      expect(await sut.sendSnapshot(validSnapshot({ hostId: 'web-01' }))).to.deep.equal({ ok: true });
      expect(hub.events()).to.deep.equal(['facts', 'snapshot']);
    });

    it('should write snapshots sent at once each in a turn of the event loop of its own, in order', async () => {
      const hub = await startHub();
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');
      // Counts turns of the event loop: an immediate queued from an immediate runs in the next turn.
      let turn = 0;
      let counting = true;
      const count = () => {
        turn += 1;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      const engine = (sut as unknown as { socket: { io: { engine: { on(event: 'packetCreate', listener: () => void): void } } } }).socket.io.engine;
      const writtenInTurn: number[] = [];
      engine.on('packetCreate', () => writtenInTurn.push(turn));

      const acks = await Promise.all([1, 2, 3].map((seq) => sut.sendSnapshot(validSnapshot({ hostId: 'web-01', seq }))));
      counting = false;

      expect(acks).to.deep.equal([{ ok: true }, { ok: true }, { ok: true }]);
      expect(hub.snapshots().map((snapshot) => snapshot.seq)).to.deep.equal([1, 2, 3]);
      // A binary event is two packets, written together; each snapshot's pair in a later turn than the one before.
      const turns = [...new Set(writtenInTurn)];
      expect(writtenInTurn).to.have.length(6);
      expect(turns).to.have.length(3);
      expect(turns).to.deep.equal([...turns].sort((a, b) => a - b));
    });

    it('should reject a send while not connected instead of queueing it', async () => {
      const hub = await startHub();
      const sut = makeLink(hub);
      const error = await sut.sendSnapshot(validSnapshot()).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(LinkError);
      expect((error as Error).message).to.contain('not connected');
    });

    it('should reject with a LinkError when the ack does not come in time', async () => {
      const hub = await startHub();
      hub.respond = () => null;
      const sut = makeLink(hub, { ackTimeoutMs: 200 });
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');
      const error = await sut.sendSnapshot(validSnapshot({ hostId: 'web-01' })).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(LinkError);
      expect((error as Error).message).to.match(/^no ack for "snapshot" \(.*timed out\)/);
    });

    it('should reject an ack that does not match the protocol', async () => {
      const hub = await startHub();
      hub.respond = () => ({ ok: 'sure' }) as unknown as Ack;
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');
      const error = await sut.sendFacts(validFacts()).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(LinkError);
      expect((error as Error).message).to.contain('malformed ack');
    });

    it('should log every failed attempt once, with its network cause, and keep trying', async () => {
      const gone = await startHub();
      await gone.close();
      hubs = hubs.filter((hub) => hub !== gone);
      const sut = makeLink(gone);
      sut.open(recordingHandlers().handlers);
      await waitFor(() => logger.messages('warn').length >= 3, 'three failed attempts');
      for (const message of logger.messages('warn')) {
        expect(message).to.match(new RegExp(`^cannot reach the hub at ${gone.url}: .*ECONNREFUSED.*; retrying$`));
      }
    });

    it('should connect once the hub comes up after failed attempts', async () => {
      const first = await startHub();
      const port = first.port;
      await first.close();
      hubs = [];
      const sut = makeLink(first);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => logger.messages('warn').length >= 1, 'a failed attempt');
      await startHub(port);
      await waitFor(() => seen.connects === 1, 'the connect');
    });

    const refusals: [string, Partial<AgentAuth>, HandshakeRefusal['code']][] = [
      ['a wrong token', { token: 'wrong-token' }, 'UNAUTHORIZED'],
      ['a handshake that breaks the schema', { intervalMs: 5 }, 'INVALID_HANDSHAKE'],
      ['an unknown protocol version', { protocolVersion: 99 }, 'UNSUPPORTED_PROTOCOL'],
    ];
    for (const [what, auth, code] of refusals) {
      it(`should report ${code} for ${what} and not try again`, async () => {
        const hub = await startHub();
        const sut = makeLink(hub, { auth });
        const { seen, handlers } = recordingHandlers();
        sut.open(handlers);
        await waitFor(() => seen.refusals.length === 1, 'the refusal');
        expect(seen.refusals[0].code).to.equal(code);
        await sleep(600);
        expect(hub.handshakes).to.equal(1);
        expect(seen.connects).to.equal(0);
        expect(seen.refusals).to.have.length(1);
      });
    }
    for (const code of ['RATE_LIMITED', 'HOST_LIMIT'] as const) {
      it(`should wait out ${code} at the handshake with backoff, saying so, and connect once admitted`, async () => {
        const hub = await startHub();
        hub.refuseNext.push(code, code);
        const sut = makeLink(hub);
        const { seen, handlers } = recordingHandlers();

        sut.open(handlers);

        await waitFor(() => seen.connects === 1, 'the connect');
        expect(hub.handshakes).to.equal(3);
        expect(seen.refusals).to.deep.equal([]);
        const warnings = logger.messages('warn');
        expect(warnings).to.have.length(2);
        for (const message of warnings) expect(message).to.contain(`turned the connection away for now (${code}:`).and.contain('retrying with backoff');
      });
    }

    it('should stop for good with REPLACED when the hub says another agent with its key took over, and not reconnect', async () => {
      const hub = await startHub();
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');

      hub.closeAgents({ code: 'REPLACED', message: 'another agent replaced this one' });

      await waitFor(() => seen.refusals.length === 1, 'the refusal');
      expect(seen.refusals[0]).to.deep.equal({ code: 'REPLACED', message: 'another agent replaced this one' });
      await sleep(600);
      expect(hub.handshakes).to.equal(1);
      expect(sut.isConnected()).to.equal(false);
      expect(describeRefusal(seen.refusals[0])).to.contain('REPLACED').and.contain('--key-file');
    });

    it("should stop for good with MISDIRECTED and the hub's words when the hub answers 421 to the name it was reached under", async () => {
      const hub = await startHub();
      const said = 'Refused: this hub answers only to hub.example:3000, not to Host 127.0.0.1; add the name with --allowed-hosts or --public-url.';
      hub.misdirected = said;
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();

      sut.open(handlers);

      await waitFor(() => seen.refusals.length === 1, 'the refusal');
      expect(seen.refusals[0]).to.deep.equal({ code: 'MISDIRECTED', message: said });
      await sleep(600);
      expect(seen.refusals).to.have.length(1);
      expect(hub.handshakes).to.equal(0);
      expect(logger.messages('warn')).to.deep.equal([]);
      expect(describeRefusal(seen.refusals[0])).to.contain('421').and.contain('--allowed-hosts').and.contain(said);
    });

    it('should stop with MISDIRECTED too when a hub it was connected to stops answering to its name', async () => {
      const hub = await startHub();
      const sut = makeLink(hub);
      const { seen, handlers } = recordingHandlers();
      sut.open(handlers);
      await waitFor(() => seen.connects === 1, 'the connect');

      hub.misdirected = 'Refused: not to this name.';
      hub.dropAgents();

      await waitFor(() => seen.refusals.length === 1, 'the refusal');
      expect(seen.refusals[0]).to.deep.equal({ code: 'MISDIRECTED', message: 'Refused: not to this name.' });
      expect(hub.handshakes).to.equal(1);
    });
  });

  describe('driving the agent', () => {
    it('should send the facts before the snapshots, with seq increasing by one, each acknowledged', async () => {
      const hub = await startHub();
      const timers = new FakeTimers();
      startAgent(makeLink(hub), timers);
      await waitFor(() => hub.snapshots().length === 1, 'the first snapshot');
      await tick(timers);
      await waitFor(() => hub.snapshots().length === 2, 'the second snapshot');
      await tick(timers);
      await waitFor(() => hub.snapshots().length === 3, 'the third snapshot');
      expect(hub.events()).to.deep.equal(['facts', 'snapshot', 'snapshot', 'snapshot']);
      expect(hub.snapshots().map((snapshot) => snapshot.seq)).to.deep.equal([START, START + 1, START + 2]);
      expect(logger.messages('warn')).to.deep.equal([]);
    });

    it('should send no more than maxInFlight snapshots before their acks come, in seq order', async () => {
      const hub = await startHub();
      const held: Deferred<Ack>[] = [];
      hub.respond = (received) => {
        if (received.event === 'facts') return ackOk();
        const ack = deferred<Ack>();
        held.push(ack);
        return ack.promise;
      };
      const timers = new FakeTimers();
      startAgent(makeLink(hub, { ackTimeoutMs: 10_000 }), timers, new FakeCollector(), 2);
      await waitFor(() => hub.snapshots().length === 1, 'the first snapshot');
      await tick(timers);
      await tick(timers);
      await waitFor(() => hub.snapshots().length === 2, 'the second snapshot');
      await sleep(300);
      expect(hub.snapshots()).to.have.length(2);
      held[0].resolve(ackOk());
      await waitFor(() => hub.snapshots().length === 3, 'the third snapshot');
      await sleep(100);
      expect(hub.snapshots()).to.have.length(3);
      for (const ack of held) ack.resolve(ackOk());
      expect(hub.snapshots().map((snapshot) => snapshot.seq)).to.deep.equal([START, START + 1, START + 2]);
    });

    it('should replay a backlog far larger than the window in order, without waiting for a tick', async () => {
      const first = await startHub();
      const timers = new FakeTimers();
      const link = makeLink(first);
      startAgent(link, timers);
      await waitFor(() => first.snapshots().length === 1, 'the first snapshot');
      await first.close();
      hubs = [];
      await waitFor(() => !link.isConnected(), 'the disconnect');
      for (let i = 0; i < 60; i += 1) await tick(timers);
      const second = await startHub(first.port);
      await waitFor(() => second.snapshots().length === 60, 'the replayed backlog');
      const expected = Array.from({ length: 60 }, (_, i) => START + 1 + i);
      expect(second.snapshots().map((snapshot) => snapshot.seq)).to.deep.equal(expected);
    });

    it('should replay the snapshots taken while the hub was down, in order, after it restarts', async () => {
      const first = await startHub();
      const timers = new FakeTimers();
      const link = makeLink(first);
      startAgent(link, timers);
      await waitFor(() => first.snapshots().length === 1, 'the first snapshot');
      await first.close();
      hubs = [];
      await waitFor(() => !link.isConnected(), 'the disconnect');
      await tick(timers);
      await tick(timers);
      await tick(timers);
      const second = await startHub(first.port);
      await waitFor(() => second.snapshots().length === 3, 'the replayed snapshots');
      expect(second.events()).to.deep.equal(['facts', 'snapshot', 'snapshot', 'snapshot']);
      expect(second.snapshots().map((snapshot) => snapshot.seq)).to.deep.equal([START + 1, START + 2, START + 3]);
      await tick(timers);
      await waitFor(() => second.snapshots().length === 4, 'the live snapshot');
      expect(second.snapshots()[3].seq).to.equal(START + 4);
    });

    it('should end the agent with the token refusal message when the hub says UNAUTHORIZED', async () => {
      const hub = await startHub();
      const timers = new FakeTimers();
      const { ended } = startAgent(makeLink(hub, { auth: { token: 'wrong-token' } }), timers);
      const end = await ended;
      if (end.reason !== 'refused') throw new Error(`expected a refusal, got ${end.reason}`);
      expect(describeRefusal(end.refusal)).to.match(/^hub refused the token \(UNAUTHORIZED\): check --token \/ HOSTWATCH_TOKEN/);
      expect(timers.pending).to.equal(0);
      await sleep(600);
      expect(hub.handshakes).to.equal(1);
      expect(hub.received).to.deep.equal([]);
    });
  });
});
