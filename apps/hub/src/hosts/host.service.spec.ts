import { NotFoundException } from '@nestjs/common';
import { validFacts } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { FakeClock } from '../testing/fake-clock';
import { FakeHostRepository } from '../testing/fake-host.repository';
import { HostService } from './host.service';

describe('HostService', () => {
  let clock: FakeClock;
  let hosts: FakeHostRepository;
  let sut: HostService;

  beforeEach(() => {
    clock = new FakeClock();
    hosts = new FakeHostRepository();
    sut = new HostService(hosts, clock);
  });

  it('should report a connected host as online, stale after 3 silent intervals, and offline once disconnected', async () => {
    hosts.seed('web-01', clock.now(), { intervalMs: 1000 });

    expect((await sut.get('web-01')).status).to.equal('online');
    clock.advance(3000);
    expect((await sut.get('web-01')).status, 'exactly 3 intervals').to.equal('online');
    clock.advance(1);
    expect((await sut.get('web-01')).status).to.equal('stale');

    await hosts.removeConnection('web-01');
    const host = await sut.get('web-01');
    expect(host.status).to.equal('offline');
    expect(host.lastSeen, 'last seen is kept').to.equal(clock.now() - 3001);
  });

  it('should keep an offline host in the list', async () => {
    hosts.seed('gone', clock.now(), { connected: false });
    clock.advance(86_400_000);

    const list = await sut.list();

    expect(list.map((host) => [host.hostId, host.status])).to.deep.equal([['gone', 'offline']]);
  });

  it('should report a host as online again once a new message arrives', async () => {
    hosts.seed('web-01', clock.now(), { intervalMs: 1000 });
    clock.advance(10_000);
    expect((await sut.get('web-01')).status).to.equal('stale');

    await hosts.saveFacts('web-01', validFacts(), clock.now());

    expect((await sut.get('web-01')).status).to.equal('online');
  });

  it('should sort hosts by host name, falling back to the host id', async () => {
    hosts.seed('c-id', clock.now(), { facts: validFacts({ hostname: 'alpha' }) });
    hosts.seed('b-id', clock.now());
    hosts.seed('a-id', clock.now(), { facts: validFacts({ hostname: 'zulu' }) });

    const list = await sut.list();

    expect(list.map((host) => host.hostId)).to.deep.equal(['c-id', 'b-id', 'a-id']);
  });

  it('should reject an unknown host with a 404 naming it', async () => {
    const error = await sut.get('nope').then(
      () => null,
      (rejection: unknown) => rejection,
    );

    expect(error).to.be.instanceOf(NotFoundException);
    expect((error as NotFoundException).message).to.equal("Unknown host 'nope'");
  });

  it('should return null from find for an unknown host', async () => {
    expect(await sut.find('nope')).to.equal(null);
  });
});
