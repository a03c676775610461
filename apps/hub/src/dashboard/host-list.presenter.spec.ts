import { expect } from 'chai';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import type { Filesystem } from '@hostwatch/protocol';
import type { HostView } from '../hosts/host.types';
import type { RecentSample } from '../history/recent-samples.repository';
import { FIXTURE_NOW, hostView, listed, namedHost } from './host-view.fixture';
import { USAGE_BANDS } from './host-identity.presenter';
import { CONNECT_AGENT_COMMAND, hostRowKey, presentHostList, type HostListView, type HostRowView } from './host-list.presenter';
import { NameOrder } from './name-order';
import { NOT_AVAILABLE } from './units.format';

/** The list as the hub presents it, from hosts read without their snapshots. */
function sut(hosts: HostView[], now: number, recent?: ReadonlyMap<string, readonly RecentSample[]>, order?: NameOrder): HostListView {
  return presentHostList(hosts.map(listed), now, recent, order);
}

function rowKey(host: HostView, samples: readonly RecentSample[]): string {
  return hostRowKey(listed(host), samples);
}

function filesystem(mount: string, usedPercent: number): Filesystem {
  return {
    mount,
    fsType: 'ext4',
    device: `/dev/${mount.replace(/\//g, '') || 'root'}`,
    sizeBytes: 100,
    usedBytes: usedPercent,
    availableBytes: 100 - usedPercent,
    usedPercent,
  };
}

function firstRow(list: HostListView): HostRowView {
  const [row] = list.hosts;
  if (!row) throw new Error('no rows');
  return row.view();
}

describe('presentHostList', () => {
  it('should sort by hostname case-insensitively and naturally, with the host id breaking ties', () => {
    const hosts = [namedHost('h5', 'web-10'), namedHost('h4', 'Web-2'), namedHost('h3', 'db'), namedHost('h2', 'web-2'), namedHost('h1', 'Alpha')];

    const view = sut(hosts, FIXTURE_NOW);

    expect(view.hosts.map((row) => `${row.name}/${row.hostId}`)).to.deep.equal(['Alpha/h1', 'db/h3', 'web-2/h2', 'Web-2/h4', 'web-10/h5']);
  });

  it('should count every status in the summary line', () => {
    const hosts = [
      hostView({ hostId: 'a', status: 'online' }),
      hostView({ hostId: 'b', status: 'online' }),
      hostView({ hostId: 'c', status: 'stale' }),
      hostView({ hostId: 'd', status: 'offline', connected: false }),
    ];

    const view = sut(hosts, FIXTURE_NOW);

    expect(view.summary).to.equal('4 hosts: 2 online, 1 stale, 1 offline');
    expect(view.counts).to.deep.equal({ total: 4, online: 2, stale: 1, offline: 1 });
    expect(view.empty).to.equal(false);
  });

  it('should say host in the singular for one host', () => {
    expect(sut([hostView()], FIXTURE_NOW).summary).to.equal('1 host: 1 online, 0 stale, 0 offline');
  });

  it('should mark an empty fleet and carry the command that connects an agent', () => {
    const view = sut([], FIXTURE_NOW);

    expect(view.empty).to.equal(true);
    expect(view.hosts).to.deep.equal([]);
    expect(view.connectCommand).to.equal(CONNECT_AGENT_COMMAND);
    expect(CONNECT_AGENT_COMMAND).to.equal('npm run agent -- --hub URL --token T');
  });

  it('should format one row from facts and the latest snapshot', () => {
    const row = firstRow(sut([hostView()], FIXTURE_NOW));

    expect(row).to.deep.include({
      hostId: 'web-01',
      href: '/hosts/web-01',
      name: 'web-01',
      showHostId: false,
      os: 'Debian GNU/Linux 12',
      osParts: ['Debian GNU/Linux', '12'],
      uptime: '10 min 0 s',
      diskMount: '/',
    });
    expect(row.status).to.deep.include({ key: 'online', label: 'online', className: 'status status-online' });
    expect(row.cpu).to.deep.equal({ text: '12.5%', hasValue: true, value: 12.5, ...USAGE_BANDS });
    expect(row.memory).to.deep.equal({ text: '25.0%', hasValue: true, value: 25, ...USAGE_BANDS });
    expect(row.disk).to.deep.equal({ text: '30.0%', hasValue: true, value: 30, ...USAGE_BANDS });
    expect(row.lastSeen).to.deep.equal({ text: '12 s ago', iso: new Date(FIXTURE_NOW - 12_000).toISOString() });
  });

  it('should URL-encode the host id in the link', () => {
    const row = firstRow(sut([hostView({ hostId: 'a b/c?d' })], FIXTURE_NOW));

    expect(row.href).to.equal('/hosts/a%20b%2Fc%3Fd');
  });

  it('should show the fullest filesystem rather than the first', () => {
    const latest = validSnapshot({
      filesystems: [filesystem('/', 30), filesystem('/var', 91.25), filesystem('/home', 50)],
    });

    const row = firstRow(sut([hostView({ latest })], FIXTURE_NOW));

    expect(row.disk.text).to.equal('91.3%');
    expect(row.diskMount).to.equal('/var');
  });

  it('should prefer the root filesystem when two are equally full', () => {
    const latest = validSnapshot({ filesystems: [filesystem('/boot', 40), filesystem('/', 40)] });

    const row = firstRow(sut([hostView({ latest })], FIXTURE_NOW));

    expect(row.diskMount).to.equal('/');
  });

  it('should show not available for a host with facts but no snapshot yet', () => {
    const row = firstRow(sut([hostView({ latest: null })], FIXTURE_NOW));

    expect(row.os).to.equal('Debian GNU/Linux 12');
    expect(row.cpu).to.deep.equal({ text: NOT_AVAILABLE, hasValue: false, value: 0, ...USAGE_BANDS });
    expect(row.memory.text).to.equal(NOT_AVAILABLE);
    expect(row.disk.text).to.equal(NOT_AVAILABLE);
    expect(row.diskMount).to.equal('');
    expect(row.uptime).to.equal(NOT_AVAILABLE);
  });

  it('should give the OS value by value, so that each can be set apart on the page', () => {
    const facts = validFacts({ os: { ...validFacts().os, distro: '\u202Exunil', release: ' 12 ' } });
    const bare = validFacts({ os: { ...validFacts().os, platform: 'linux', distro: ' ', release: '' } });

    expect(firstRow(sut([hostView({ facts })], FIXTURE_NOW)).osParts).to.deep.equal(['\u202Exunil', '12']);
    expect(firstRow(sut([hostView({ facts: bare })], FIXTURE_NOW)).osParts).to.deep.equal(['linux']);
    expect(firstRow(sut([hostView({ facts: null })], FIXTURE_NOW)).osParts).to.deep.equal([NOT_AVAILABLE]);
  });

  it('should name a host without facts by its id and show its OS as not available', () => {
    const row = firstRow(sut([hostView({ hostId: 'node-7', facts: null })], FIXTURE_NOW));

    expect(row.name).to.equal('node-7');
    expect(row.showHostId).to.equal(false);
    expect(row.os).to.equal(NOT_AVAILABLE);
    expect(row.cpu.text).to.equal('12.5%');
  });

  it('should show not available for a CPU usage the host could not measure', () => {
    const latest = validSnapshot({ cpu: { usagePercent: null, perCorePercent: [], load: null } });

    const row = firstRow(sut([hostView({ latest })], FIXTURE_NOW));

    expect(row.cpu.text).to.equal(NOT_AVAILABLE);
    expect(row.cpu.hasValue).to.equal(false);
  });

  it('should say never for a host never heard from', () => {
    const row = firstRow(sut([hostView({ lastSeen: null, latest: null, facts: null })], FIXTURE_NOW));

    expect(row.lastSeen).to.deep.equal({ text: 'never', iso: '' });
  });

  it('should show the host id under the name when they differ', () => {
    const row = firstRow(sut([namedHost('machine-42', 'build-box')], FIXTURE_NOW));

    expect(row.name).to.equal('build-box');
    expect(row.showHostId).to.equal(true);
  });

  it('should draw each host’s recent CPU and memory as sparklines, and none for a host without samples', () => {
    const recent = new Map([
      [
        'web-01',
        [
          { ts: 1, cpu: 0, memory: 100 },
          { ts: 2, cpu: 100, memory: 0 },
        ],
      ],
    ]);

    const [quiet, busy] = sut([namedHost('web-01', 'b'), namedHost('web-02', 'a')], FIXTURE_NOW, recent).hosts;

    expect(busy?.hostId).to.equal('web-01');
    expect(busy?.view().cpuTrend).to.deep.include({ hasPoints: true, points: '0,100 1,0' });
    expect(busy?.view().memoryTrend).to.deep.include({ hasPoints: true, points: '0,0 1,100' });
    expect(quiet?.view().cpuTrend.hasPoints).to.equal(false);
    expect(quiet?.view().memoryTrend.hasPoints).to.equal(false);
  });

  it('should give the same order with a kept NameOrder as without, as hosts come and go', () => {
    const order = new NameOrder();
    const fleets = [
      [namedHost('h1', 'web-10'), namedHost('h2', 'web-2')],
      [namedHost('h1', 'web-10'), namedHost('h2', 'web-2'), namedHost('h3', 'Web-2'), namedHost('h0', 'web-2')],
      [namedHost('h3', 'Web-2'), namedHost('h4', 'alpha')],
    ];

    for (const hosts of fleets) {
      const ids = (view: HostListView) => view.hosts.map((row) => row.hostId);
      expect(ids(sut(hosts, FIXTURE_NOW, new Map(), order))).to.deep.equal(ids(sut(hosts, FIXTURE_NOW)));
    }
  });

  it('should key a row by everything it shows but the last-seen time', () => {
    const base = hostView();
    const samples = [{ ts: 1, cpu: 1, memory: 1 }];
    const key = rowKey(base, samples);

    expect(rowKey(hostView({ lastSeen: FIXTURE_NOW - 1 }), samples), 'last seen only').to.equal(key);
    const differing = [
      rowKey(hostView({ status: 'stale' }), samples),
      rowKey(hostView({ latest: validSnapshot({ seq: 99 }) }), samples),
      rowKey(hostView({ latest: validSnapshot({ ts: 5 }) }), samples),
      rowKey(hostView({ latest: null }), samples),
      rowKey(namedHost('web-01', 'other'), samples),
      rowKey(hostView({ facts: null }), samples),
      // The same label, but drawn as other parts.
      rowKey(hostView({ facts: validFacts({ os: { ...validFacts().os, distro: 'Debian', release: 'GNU/Linux 12' } }) }), samples),
      rowKey(base, []),
      rowKey(base, [...samples, { ts: 2, cpu: 1, memory: 1 }]),
      rowKey(base, [{ ts: 0, cpu: 1, memory: 1 }]),
    ];
    expect(new Set([key, ...differing]).size).to.equal(differing.length + 1);
  });
});
