import { Logger } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HistoryQuery, HistoryRepository, HistoryResult, MetricInfo } from '../store/history.repository';
import { InMemoryRecentSamplesRepository } from './in-memory-recent-samples.repository';
import { CapturingLogger } from '../testing/capturing-logger';
import { RecentSamplesService } from './recent-samples.service';

const GIB = 1024 ** 3;

/** Answers queries from fixed points per metric and records what it was asked. */
class FakeHistory implements HistoryRepository {
  readonly queries: HistoryQuery[] = [];
  failWith: Error | null = null;

  constructor(private readonly points: Record<string, Array<[number, number]>>) {}

  async append(_snapshot: Snapshot): Promise<void> {}

  async query(query: HistoryQuery): Promise<HistoryResult | null> {
    this.queries.push(query);
    if (this.failWith) throw this.failWith;
    const points = this.points[query.metric];
    return points ? { metric: query.metric, unit: '%', tier: 'raw', points: points.filter(([ts]) => ts >= query.from && ts <= query.to) } : null;
  }

  async metrics(_hostId: string): Promise<MetricInfo[]> {
    return [];
  }

  async deleteHost(_hostId: string): Promise<void> {}
}

function snapshotAt(ts: number, cpu: number, usedGiB: number, seq = 1): Snapshot {
  const snapshot = validSnapshot({ ts, seq });
  return {
    ...snapshot,
    cpu: { ...snapshot.cpu, usagePercent: cpu },
    memory: { ...snapshot.memory, totalBytes: 8 * GIB, usedBytes: usedGiB * GIB, usedPercent: (usedGiB / 8) * 100 },
  };
}

describe('RecentSamplesService', () => {
  let logs: CapturingLogger;
  let samples: InMemoryRecentSamplesRepository;

  beforeEach(() => {
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
    samples = new InMemoryRecentSamplesRepository(30);
  });

  it('should seed a host first seen from its recent history, then add each snapshot', async () => {
    const history = new FakeHistory({
      cpu: [
        [1000, 10],
        [2000, 20],
      ],
      'memory.used': [
        [1000, 2 * GIB],
        [2000, 4 * GIB],
      ],
    });
    const sut = new RecentSamplesService(samples, history);

    await sut.record(snapshotAt(3000, 30, 6), 1000);
    await sut.record(snapshotAt(4000, 40, 8, 2), 1000);

    expect(await samples.get('web-01')).to.deep.equal([
      { ts: 1000, cpu: 10, memory: 25 },
      { ts: 2000, cpu: 20, memory: 50 },
      { ts: 3000, cpu: 30, memory: 75 },
      { ts: 4000, cpu: 40, memory: 100 },
    ]);
    expect(history.queries.map((query) => [query.metric, query.from, query.to])).to.deep.equal([
      ['cpu', 3000 - 30 * 1000, 2999],
      ['memory.used', 3000 - 30 * 1000, 2999],
    ]);
  });

  it('should only add snapshots without a history store', async () => {
    const sut = new RecentSamplesService(samples, null);

    await sut.record(snapshotAt(3000, 30, 2), 1000);

    expect(await samples.get('web-01')).to.deep.equal([{ ts: 3000, cpu: 30, memory: 25 }]);
  });

  it('should log a history that fails and still keep the snapshot', async () => {
    const history = new FakeHistory({});
    history.failWith = new Error('database is locked');
    const sut = new RecentSamplesService(samples, history);

    await sut.record(snapshotAt(3000, 30, 2), 1000);

    expect(await samples.get('web-01')).to.have.length(1);
    expect(logs.messages('warn').join('\n')).to.contain('database is locked');
  });

  it('should forget a host and seed it again when it comes back', async () => {
    const history = new FakeHistory({ cpu: [], 'memory.used': [] });
    const sut = new RecentSamplesService(samples, history);
    await sut.record(snapshotAt(3000, 30, 2), 1000);

    await sut.forget('web-01');
    expect(await sut.recent(['web-01'])).to.deep.equal(new Map([['web-01', []]]));
    await sut.record(snapshotAt(9000, 90, 2, 5), 1000);

    expect(history.queries).to.have.length(4);
    expect((await samples.get('web-01')).map((kept) => kept.ts)).to.deep.equal([9000]);
  });
});
