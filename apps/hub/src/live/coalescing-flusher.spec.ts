import { expect } from 'chai';
import { FakeClock } from '../testing/fake-clock';
import { FakeTimers } from '../testing/fake-timers';
import { CoalescingFlusher, type Batch } from './coalescing-flusher';

function plain(batch: Batch): Record<string, string[]> {
  return Object.fromEntries([...batch].map(([room, keys]) => [room, [...keys].sort()]));
}

describe('CoalescingFlusher', () => {
  let clock: FakeClock;
  let timers: FakeTimers;
  let flushed: Array<{ at: number; batch: Record<string, string[]> }>;
  let errors: unknown[];
  let flushImpl: (batch: Batch) => Promise<void>;
  let sut: CoalescingFlusher;

  beforeEach(() => {
    clock = new FakeClock();
    timers = new FakeTimers(clock);
    flushed = [];
    errors = [];
    flushImpl = async () => undefined;
    sut = new CoalescingFlusher(
      timers,
      clock,
      1000,
      async (batch) => {
        flushed.push({ at: clock.now(), batch: plain(batch) });
        await flushImpl(batch);
      },
      (error) => errors.push(error),
    );
  });

  afterEach(() => sut.stop());

  it('should flush the first change on the next turn, with every key marked in the same turn, each once', async () => {
    const start = clock.now();
    sut.mark('list', 'web-01');
    sut.mark('list', 'web-02');
    sut.mark('list', 'web-01');
    sut.mark('host:web-01', 'web-01');
    expect(flushed, 'nothing before the timer fires').to.deep.equal([]);

    await timers.advance(0);

    expect(flushed).to.deep.equal([{ at: start, batch: { list: ['web-01', 'web-02'], 'host:web-01': ['web-01'] } }]);
  });

  it('should flush at most once per interval however many changes arrive, coalescing them per room', async () => {
    const start = clock.now();
    sut.mark('list', 'a');
    await timers.advance(0);
    for (let ms = 0; ms < 2500; ms += 50) {
      sut.mark('list', `h${ms % 200}`);
      sut.mark(`host:h${ms % 200}`, `h${ms % 200}`);
      await timers.advance(50);
    }
    await timers.advance(1000);

    const times = flushed.map((flush) => flush.at - start);
    expect(times).to.deep.equal([0, 1000, 2000, 3000]);
    expect(flushed[1]?.batch['list']).to.deep.equal(['h0', 'h100', 'h150', 'h50']);
    expect(Object.keys(flushed[1]?.batch ?? {}).sort()).to.deep.equal(['host:h0', 'host:h100', 'host:h150', 'host:h50', 'list']);
  });

  it('should schedule nothing when nothing changed', async () => {
    sut.mark('list', 'a');
    await timers.advance(5000);

    expect(flushed).to.have.length(1);
    expect(timers.pending).to.equal(0);
  });

  it('should never overlap a slow flush with the next one, and send what came in meanwhile afterwards', async () => {
    let release: () => void = () => undefined;
    flushImpl = () => new Promise<void>((resolve) => (release = resolve));
    const start = clock.now();
    sut.mark('list', 'a');
    await timers.advance(0);
    sut.mark('list', 'b');

    await timers.advance(3000);
    expect(flushed, 'still busy with the first').to.have.length(1);

    flushImpl = async () => undefined;
    release();
    await timers.advance(0);

    expect(flushed.map((flush) => [flush.at - start, flush.batch])).to.deep.equal([
      [0, { list: ['a'] }],
      [3000, { list: ['b'] }],
    ]);
  });

  it('should report a failed flush and keep flushing later changes', async () => {
    flushImpl = async () => {
      throw new Error('render failed');
    };
    sut.mark('list', 'a');
    await timers.advance(0);
    flushImpl = async () => undefined;
    sut.mark('list', 'b');
    await timers.advance(1000);

    expect(errors.map(String)).to.deep.equal(['Error: render failed']);
    expect(flushed.map((flush) => flush.batch)).to.deep.equal([{ list: ['a'] }, { list: ['b'] }]);
  });

  it('should drop pending changes and schedule nothing once stopped', async () => {
    sut.mark('list', 'a');
    sut.stop();
    sut.mark('list', 'b');
    await timers.advance(5000);

    expect(flushed).to.deep.equal([]);
    expect(timers.pending).to.equal(0);
  });
});
