import { validSnapshot } from '@hostwatch/protocol/testing';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { expect } from 'chai';
import { FakeClock } from '../testing/fake-clock';
import { FakeHistoryRepository } from '../testing/fake-history.repository';
import { FakeHostRepository } from '../testing/fake-host.repository';
import { HistoryService } from './history.service';

describe('HistoryService', () => {
  let clock: FakeClock;
  let history: FakeHistoryRepository;
  let hosts: FakeHostRepository;
  let sut: HistoryService;

  beforeEach(async () => {
    clock = new FakeClock();
    history = new FakeHistoryRepository();
    hosts = new FakeHostRepository();
    sut = new HistoryService(history, hosts, clock);
    await history.append(validSnapshot({ ts: clock.now() - 1000 }));
  });

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => expect.fail('expected a rejection'),
      (error: Error) => error,
    );
  }

  it('should ask for the last hour up to now in 500 points when the query says nothing else', async () => {
    await sut.read('web-01', { metric: 'cpu' });

    expect(history.queries).to.deep.equal([{ hostId: 'web-01', metric: 'cpu', from: clock.now() - 3_600_000, to: clock.now(), points: 500 }]);
  });

  it('should pass the range and points it was given', async () => {
    const result = await sut.read('web-01', { metric: 'cpu', from: '1000', to: String(clock.now()), points: '20' });

    expect(history.queries[0]).to.include({ from: 1000, to: clock.now(), points: 20 });
    expect(result).to.deep.equal({ metric: 'cpu', unit: '%', tier: 'raw', points: [[clock.now() - 1000, 12.5]] });
  });

  it('should list the metrics when the query names none', async () => {
    const result = await sut.read('web-01', {});

    expect(result).to.have.property('hostId', 'web-01');
    expect(result).to.have.property('metrics').that.deep.includes({ name: 'load.15', unit: 'load' });
  });

  it('should know a host the host store knows even before it has history', async () => {
    hosts.seed('db-01', clock.now());

    expect(await sut.read('db-01', {})).to.deep.equal({ hostId: 'db-01', metrics: [] });
  });

  it('should answer 404 for a host neither store knows', async () => {
    const error = await rejection(sut.read('nope', { metric: 'cpu' }));

    expect(error).to.be.instanceOf(NotFoundException);
    expect(error.message).to.equal("Unknown host 'nope'");
  });

  it('should answer 400 naming the parameter for points out of range, a bad time, a reversed range or an unknown metric', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ metric: 'cpu', points: '0' }, "'points': must be a whole number from 1 to 10000"],
      [{ metric: 'cpu', points: '10001' }, "'points'"],
      [{ metric: 'cpu', points: '2.5' }, "'points'"],
      [{ metric: 'cpu', from: 'now' }, "'from': must be a time in ms"],
      [{ metric: 'cpu', to: '1e12' }, "'to'"],
      [{ metric: 'cpu', from: '2000', to: '1000' }, "'from' and 'to': from (2000) is after to (1000)"],
      [{ metric: 'cpu', from: String(clock.now() + 1) }, "'from' and 'to'"],
      [{ metric: ['cpu', 'load.1'] }, "'metric'"],
      [{ metric: '' }, "'metric': must not be empty"],
      [{ metric: 'gpu' }, "'metric': host 'web-01' has no metric 'gpu'"],
    ];
    for (const [query, message] of cases) {
      const error = await rejection(sut.read('web-01', query));
      expect(error, JSON.stringify(query)).to.be.instanceOf(BadRequestException);
      expect(error.message, JSON.stringify(query)).to.contain(message);
    }
  });
});
