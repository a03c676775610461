import { expect } from 'chai';
import { InMemoryRecentSamplesRepository } from './in-memory-recent-samples.repository';
import type { RecentSample } from './recent-samples.repository';

const sample = (ts: number) => ({ ts, cpu: ts, memory: 100 - ts });

describe('InMemoryRecentSamplesRepository', () => {
  it('should keep the newest samples up to its capacity, oldest first', async () => {
    const sut = new InMemoryRecentSamplesRepository(3);

    for (let ts = 1; ts <= 5; ts += 1) await sut.append('web-01', sample(ts));

    expect((await sut.get('web-01')).map((kept) => kept.ts)).to.deep.equal([3, 4, 5]);
  });

  it('should ignore a sample not newer than the last', async () => {
    const sut = new InMemoryRecentSamplesRepository(3);
    await sut.append('web-01', sample(5));

    await sut.append('web-01', sample(5));
    await sut.append('web-01', sample(4));

    expect((await sut.get('web-01')).map((kept) => kept.ts)).to.deep.equal([5]);
  });

  it('should replace a host’s samples with the newest that fit, and keep hosts apart', async () => {
    const sut = new InMemoryRecentSamplesRepository(2);
    await sut.append('db-01', sample(9));

    await sut.replace('web-01', [sample(1), sample(2), sample(3)]);

    const many = await sut.getMany(['web-01', 'db-01', 'unknown']);
    expect([...many].map(([hostId, kept]) => [hostId, kept.map((one) => one.ts)])).to.deep.equal([
      ['web-01', [2, 3]],
      ['db-01', [9]],
      ['unknown', []],
    ]);
  });

  it('should hand out samples that neither the reader nor a later append can change, and forget a host', async () => {
    const sut = new InMemoryRecentSamplesRepository(2);
    await sut.append('web-01', sample(1));
    const before = await sut.get('web-01');

    (before[0] as { cpu: number }).cpu = 99;
    (before as RecentSample[]).push(sample(7));
    await sut.append('web-01', sample(2));
    await sut.append('web-01', sample(3));

    expect((await sut.get('web-01')).map((kept) => [kept.ts, kept.cpu])).to.deep.equal([
      [2, 2],
      [3, 3],
    ]);
    expect(before.map((kept) => kept.ts)).to.deep.equal([1, 7]);
    await sut.forget('web-01');
    expect(await sut.get('web-01')).to.deep.equal([]);
  });

  it('should keep a CPU value the host could not measure as null', async () => {
    const sut = new InMemoryRecentSamplesRepository(3);

    await sut.append('web-01', { ts: 1, cpu: null, memory: 40 });
    await sut.append('web-01', { ts: 2, cpu: 0, memory: 41.5 });

    expect(await sut.get('web-01')).to.deep.equal([
      { ts: 1, cpu: null, memory: 40 },
      { ts: 2, cpu: 0, memory: 41.5 },
    ]);
  });

  it('should wrap around its capacity many times and still list oldest first', async () => {
    const sut = new InMemoryRecentSamplesRepository(4);

    for (let ts = 1; ts <= 23; ts += 1) await sut.append('web-01', sample(ts));

    expect(await sut.get('web-01')).to.deep.equal([20, 21, 22, 23].map(sample));
  });
});
