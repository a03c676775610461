import { expect } from 'chai';
import { ackError, ackOk, type Ack, type Metrics, type Snapshot } from '@hostwatch/protocol';
import { SnapshotBuffer } from '../buffer/snapshot-buffer';
import { deferred, settle, type Deferred } from '../testing/deferred';
import { FakeCollector, sampleMetrics } from '../testing/fake-collector';
import { FakeLink } from '../testing/fake-link';
import { FakeClock, FakeTimers } from '../testing/fake-timers';
import { MemoryLogger } from '../testing/memory-logger';
import { Agent, type AgentEnd, type AgentOptions } from './agent';

const START = 1_764_000_000_000;
const INTERVAL_MS = 5000;

describe('Agent', () => {
  let collector: FakeCollector;
  let link: FakeLink;
  let timers: FakeTimers;
  let clock: FakeClock;
  let logger: MemoryLogger;
  let sut: Agent;
  let ended: Promise<AgentEnd>;

  function start(overrides: Partial<AgentOptions> = {}): void {
    sut = new Agent({
      hostId: 'web-01',
      intervalMs: INTERVAL_MS,
      facts: collector.facts,
      collector,
      link,
      buffer: new SnapshotBuffer<Snapshot>(100),
      clock,
      timers,
      logger,
      ...overrides,
    });
    ended = sut.run();
  }

  /** Fires the interval and lets the sample and its delivery run. */
  async function tick(): Promise<void> {
    timers.tick();
    await settle();
  }

  beforeEach(() => {
    collector = new FakeCollector();
    link = new FakeLink();
    timers = new FakeTimers();
    clock = new FakeClock(START);
    logger = new MemoryLogger();
  });

  afterEach(() => {
    sut?.stop();
  });

  it('should sample at once and then on a timer of the configured interval', async () => {
    start();
    await settle();
    expect(collector.samples).to.equal(1);
    expect(timers.intervalsOf(INTERVAL_MS)).to.equal(1);
    await tick();
    expect(collector.samples).to.equal(2);
  });

  it('should send the facts first after connecting, then the snapshots', async () => {
    start();
    await settle();
    link.connect();
    await settle();
    await tick();
    expect(link.events()).to.deep.equal(['facts', 'snapshot', 'snapshot']);
    expect(link.sent[0]).to.deep.equal({ event: 'facts', payload: collector.facts });
  });

  it('should number snapshots from the start time upward, one per sample, with the host id and time', async () => {
    start();
    link.connect();
    await settle();
    clock.current = START + 5000;
    await tick();
    clock.current = START + 10_000;
    await tick();
    const snapshots = link.sent.flatMap((entry) => (entry.event === 'snapshot' ? [entry.payload] : []));
    expect(snapshots.map((snapshot) => snapshot.seq)).to.deep.equal([START, START + 1, START + 2]);
    expect(snapshots.map((snapshot) => snapshot.ts)).to.deep.equal([START, START + 5000, START + 10_000]);
    expect(snapshots[1]).to.deep.equal({ hostId: 'web-01', seq: START + 1, ts: START + 5000, ...sampleMetrics() });
  });

  it('should wait for each ack before sending the next snapshot when one may be in flight', async () => {
    const acks: Deferred<Ack>[] = [];
    link.respond = (sent) => {
      if (sent.event === 'facts') return Promise.resolve(ackOk());
      const ack = deferred<Ack>();
      acks.push(ack);
      return ack.promise;
    };
    start({ maxInFlight: 1 });
    link.connect();
    await settle();
    await tick();
    await tick();
    expect(link.snapshotSeqs()).to.deep.equal([START]);
    acks[0].resolve(ackOk());
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1]);
    acks[1].resolve(ackOk());
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2]);
  });

  it('should keep up to maxInFlight snapshots in flight, in seq order, sending the next as each ack comes', async () => {
    const acks: Deferred<Ack>[] = [];
    link.respond = (sent) => {
      if (sent.event === 'facts') return Promise.resolve(ackOk());
      const ack = deferred<Ack>();
      acks.push(ack);
      return ack.promise;
    };
    const buffer = new SnapshotBuffer<Snapshot>(100);
    start({ buffer, maxInFlight: 3 });
    await settle();
    for (let i = 0; i < 5; i += 1) await tick();
    link.connect();
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2]);
    acks[0].resolve(ackOk());
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2, START + 3]);
    expect(buffer.toArray().map((snapshot) => snapshot.seq)).to.deep.equal([START + 1, START + 2, START + 3, START + 4, START + 5]);
    for (const ack of acks.slice(1)) ack.resolve(ackOk());
    await settle();
    for (const ack of acks.slice(4)) ack.resolve(ackOk());
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2, START + 3, START + 4, START + 5]);
    expect(buffer.size).to.equal(0);
  });

  it('should send no more after a failed ack, log it once, and send the kept snapshots in order on the next tick', async () => {
    let failing = true;
    link.respond = async (sent) => {
      if (sent.event === 'snapshot' && failing) throw new Error('socket has been disconnected');
      return ackOk();
    };
    const buffer = new SnapshotBuffer<Snapshot>(100);
    start({ buffer, maxInFlight: 3 });
    await settle();
    for (let i = 0; i < 5; i += 1) await tick();
    link.connect();
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2]);
    expect(logger.messages('warn')).to.deep.equal([`snapshot ${START} was not acknowledged, keeping it: socket has been disconnected`]);
    expect(buffer.size).to.equal(6);
    failing = false;
    link.sent.length = 0;
    await tick();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2, START + 3, START + 4, START + 5, START + 6]);
    expect(buffer.size).to.equal(0);
  });

  it('should number from firstSeq when it is above the clock, so that a spool from an earlier run keeps its seqs unique', async () => {
    start({ firstSeq: START + 1000 });
    link.connect();
    await settle();
    await tick();
    expect(link.snapshotSeqs()).to.deep.equal([START + 1000, START + 1001]);
  });

  it('should say how many it dropped each time a full buffer has turned over while the hub stays away, and on stop', async () => {
    const buffer = new SnapshotBuffer<Snapshot>(2);
    start({ buffer });
    await settle();
    for (let i = 0; i < 6; i += 1) await tick();
    expect(logger.messages('warn')).to.deep.equal([
      'snapshot buffer is full (2); dropping the oldest until the hub acknowledges again',
      'dropped 2 unacknowledged snapshots so far while the buffer was full',
      'dropped 4 unacknowledged snapshots so far while the buffer was full',
    ]);
    await tick();
    sut.stop();
    await ended;
    expect(logger.messages('warn').at(-1)).to.equal('dropped 6 unacknowledged snapshots while the buffer was full');
  });

  it('should keep snapshots taken while disconnected and send them in order, facts first, after a reconnect', async () => {
    const buffer = new SnapshotBuffer<Snapshot>(100);
    start({ buffer });
    link.connect();
    await settle();
    link.drop();
    await tick();
    await tick();
    await tick();
    expect(buffer.size).to.equal(3);
    link.sent.length = 0;
    link.connect();
    await settle();
    expect(link.events()).to.deep.equal(['facts', 'snapshot', 'snapshot', 'snapshot']);
    expect(link.snapshotSeqs()).to.deep.equal([START + 1, START + 2, START + 3]);
    expect(buffer.size).to.equal(0);
  });

  it('should keep a snapshot whose ack never came and send it again on the next tick', async () => {
    let failNext = true;
    link.respond = async (sent) => {
      if (sent.event === 'snapshot' && failNext) {
        failNext = false;
        throw new Error('operation has timed out');
      }
      return ackOk();
    };
    start();
    link.connect();
    await settle();
    expect(logger.messages('warn').join('\n')).to.contain(`snapshot ${START} was not acknowledged, keeping it: operation has timed out`);
    await tick();
    expect(link.snapshotSeqs()).to.deep.equal([START, START, START + 1]);
  });

  it('should drop the oldest snapshots when the buffer is full and say how many were dropped', async () => {
    const buffer = new SnapshotBuffer<Snapshot>(2);
    start({ buffer });
    await settle();
    await tick();
    await tick();
    await tick();
    expect(buffer.toArray().map((snapshot) => snapshot.seq)).to.deep.equal([START + 2, START + 3]);
    expect(logger.messages('warn')).to.include('snapshot buffer is full (2); dropping the oldest until the hub acknowledges again');
    link.connect();
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START + 2, START + 3]);
    expect(logger.messages('warn')).to.include('dropped 2 unacknowledged snapshots while the buffer was full');
  });

  it('should log a snapshot the hub rejects with its code and message, drop it, and go on with the next', async () => {
    link.respond = async (sent) =>
      sent.event === 'snapshot' && sent.payload.seq === START ? ackError('INVALID_MESSAGE', 'cpu.usagePercent: too big') : ackOk();
    const buffer = new SnapshotBuffer<Snapshot>(100);
    start({ buffer });
    await settle();
    await tick();
    link.connect();
    await settle();
    expect(logger.messages('error')).to.deep.equal([`hub rejected snapshot ${START} (INVALID_MESSAGE: cpu.usagePercent: too big); dropped it`]);
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1]);
    expect(buffer.size).to.equal(0);
    await tick();
    expect(link.snapshotSeqs()).to.deep.equal([START, START + 1, START + 2]);
  });

  for (const code of ['RATE_LIMITED', 'INTERNAL_ERROR', 'MEMORY_LIMIT'] as const) {
    it(`should keep a snapshot deferred with ${code} and send it again on the next tick`, async () => {
      let deferOnce = true;
      link.respond = async (sent) => {
        if (sent.event === 'snapshot' && deferOnce) {
          deferOnce = false;
          return ackError(code, 'later');
        }
        return ackOk();
      };
      const buffer = new SnapshotBuffer<Snapshot>(100);
      start({ buffer });
      link.connect();
      await settle();
      expect(link.snapshotSeqs()).to.deep.equal([START]);
      expect(buffer.size).to.equal(1);
      expect(logger.messages('warn')).to.include(`hub deferred snapshot ${START} (${code}: later); will send it again`);
      await tick();
      expect(link.snapshotSeqs()).to.deep.equal([START, START, START + 1]);
      expect(buffer.size).to.equal(0);
    });
  }

  it('should send the facts again on the next tick when they were not acknowledged', async () => {
    let factsTries = 0;
    link.respond = async (sent) => {
      if (sent.event === 'facts' && ++factsTries === 1) throw new Error('operation has timed out');
      return ackOk();
    };
    start();
    link.connect();
    await settle();
    expect(link.events()).to.deep.equal(['facts']);
    await tick();
    expect(link.events()).to.deep.equal(['facts', 'facts', 'snapshot', 'snapshot']);
  });

  it('should skip a tick while the previous sample is still running', async () => {
    const slow = deferred<Metrics>();
    collector.nextSample = () => slow.promise;
    start();
    await tick();
    await tick();
    expect(collector.samples).to.equal(1);
    expect(logger.messages('warn')).to.deep.equal([
      'sampling takes longer than the interval (5000 ms); skipped a tick',
      'sampling takes longer than the interval (5000 ms); skipped a tick',
    ]);
    slow.resolve(sampleMetrics());
    await settle();
    await tick();
    expect(collector.samples).to.equal(2);
  });

  it('should log a failed sample and keep ticking', async () => {
    collector.nextSample = () => Promise.reject(new Error('EPERM reading /proc'));
    start();
    await settle();
    expect(logger.messages('error')).to.deep.equal(['sampling failed: EPERM reading /proc']);
    await tick();
    link.connect();
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([START]);
  });

  it('should hand every sample to onSample', async () => {
    const seen: Metrics[] = [];
    start({ onSample: (metrics) => seen.push(metrics) });
    await settle();
    await tick();
    expect(seen).to.deep.equal([sampleMetrics(), sampleMetrics()]);
  });

  it('should end with the refusal, close the link and stop its timer when the hub refuses the handshake', async () => {
    start();
    await settle();
    link.refuse('UNAUTHORIZED', 'invalid token');
    expect(await ended).to.deep.equal({ reason: 'refused', refusal: { code: 'UNAUTHORIZED', message: 'invalid token' } });
    expect(link.closed).to.equal(true);
    expect(timers.pending).to.equal(0);
  });

  it('should stop cleanly: no timer left, link closed, no sample after', async () => {
    start();
    await settle();
    sut.stop();
    expect(await ended).to.deep.equal({ reason: 'stopped' });
    expect(timers.pending).to.equal(0);
    expect(link.closed).to.equal(true);
    timers.tick();
    expect(collector.samples).to.equal(1);
  });

  it('should not send a sample that finished after the stop', async () => {
    const slow = deferred<Metrics>();
    collector.nextSample = () => slow.promise;
    start();
    link.connect();
    await settle();
    sut.stop();
    slow.resolve(sampleMetrics());
    await settle();
    expect(link.snapshotSeqs()).to.deep.equal([]);
  });
});
