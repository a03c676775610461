import { expect } from 'chai';
import { KeyedQueue } from './keyed-queue';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('should run the tasks of one key one after another in queue order', async () => {
    const sut = new KeyedQueue();
    const events: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      events.push(`start ${name}`);
      for (let i = 0; i < ticks; i += 1) await tick();
      events.push(`end ${name}`);
    };

    await Promise.all([sut.run('a', task('1', 3)), sut.run('a', task('2', 0)), sut.run('a', task('3', 1))]);

    expect(events).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('should let tasks of different keys overlap', async () => {
    const sut = new KeyedQueue();
    const events: string[] = [];
    let releaseA: () => void = () => undefined;
    const a = sut.run('a', () => new Promise<void>((resolve) => (releaseA = resolve)).then(() => void events.push('a')));
    await sut.run('b', async () => void events.push('b'));
    releaseA();
    await a;

    expect(events).to.deep.equal(['b', 'a']);
  });

  it('should keep running later tasks of a key after one fails', async () => {
    const sut = new KeyedQueue();
    const failed = sut.run('a', async () => {
      throw new Error('boom');
    });
    const next = sut.run('a', async () => 'ran');

    const outcome = await failed.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    expect(outcome).to.equal('boom');
    expect(await next).to.equal('ran');
  });
});
