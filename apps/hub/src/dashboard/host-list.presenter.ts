import type { HostMetaView, HostStatus } from '../hosts/host.types';
import type { RecentSample } from '../history/recent-samples.repository';
import { presentAgentVersion, reportedAgentVersion } from './agent-version.presenter';
import { displayName, hostHref, osParts, presentPercent, presentStatus } from './host-identity.presenter';
import { NameOrder } from './name-order';
import { presentSparkline, type SparklineView } from './sparkline.presenter';
import { describeInstant, formatDuration, type InstantView } from './time.format';
import { NOT_AVAILABLE } from './units.format';
import type { PercentView, StatusBadgeView } from './view-model.types';

export const CONNECT_AGENT_COMMAND = 'npm run agent -- --hub URL --token T';

export interface HostRowView {
  hostId: string;
  href: string;
  name: string;
  /** Whether the id differs from the name and is worth showing under it. */
  showHostId: boolean;
  /** The OS as one line of text, for a tooltip where the cell is cut short. */
  os: string;
  /** The same, value by value, each shown set apart from the others. */
  osParts: string[];
  status: StatusBadgeView;
  cpu: PercentView;
  memory: PercentView;
  /** The last few CPU and memory values. */
  cpuTrend: SparklineView;
  memoryTrend: SparklineView;
  disk: PercentView;
  /** Mount point of the filesystem the disk figure is for; empty when none. */
  diskMount: string;
  uptime: string;
  lastSeen: InstantView;
  /** The agent's version where it is older than the hub's release or unknown; empty otherwise. */
  agentMark: string;
  agentOlder: boolean;
}

/**
 * A row as the list draws it. The last-seen time changes with the clock
 * alone, so it is drawn every time; the rest of the row (`view`) is built
 * only when its markup is drawn anew, since the view engine keeps the markup
 * of each row until its `fragmentKey` changes.
 */
export interface HostListRow {
  hostId: string;
  name: string;
  /** Names the row's kept markup in the view engine. */
  fragmentId: string;
  /** Differs whenever anything `view` shows differs (the last-seen time aside). */
  fragmentKey: string;
  lastSeen: InstantView;
  /** Builds the rest of the row; `{{#with view}}` calls it only where the kept markup is out of date. */
  view(): HostRowView;
}

export interface HostListView {
  title: string;
  /** What the page's script subscribes to for live updates. */
  liveView: 'list';
  empty: boolean;
  summary: string;
  counts: Record<HostStatus, number> & { total: number };
  connectCommand: string;
  hosts: HostListRow[];
  /** The agent version this hub hands out; null when it has no release built. */
  releasedVersion: string | null;
}

/** One row of the host list; `samples` (oldest first) feed its sparklines; `released` is the hub's agent version. */
export function presentHostRow(host: HostMetaView, now: number, samples: readonly RecentSample[] = [], released: string | null = null): HostRowView {
  const latest = host.latestSummary;
  const agent = presentAgentVersion(reportedAgentVersion(host), released);
  const name = displayName(host);
  const disk = latest?.disk;
  const os = osParts(host);
  return {
    hostId: host.hostId,
    href: hostHref(host.hostId),
    name,
    showHostId: name !== host.hostId,
    os: os.join(' '),
    osParts: os,
    status: presentStatus(host.status),
    cpu: presentPercent(latest?.cpuPercent),
    memory: presentPercent(latest?.memoryPercent),
    cpuTrend: presentSparkline(
      samples.map((sample) => sample.cpu),
      'CPU',
    ),
    memoryTrend: presentSparkline(
      samples.map((sample) => sample.memory),
      'Memory',
    ),
    disk: presentPercent(disk?.usedPercent),
    diskMount: disk?.mount ?? '',
    uptime: latest ? formatDuration(latest.uptimeSeconds) : NOT_AVAILABLE,
    lastSeen: describeInstant(host.lastSeen, now, 'never'),
    agentMark: agent.mark,
    agentOlder: agent.older,
  };
}

/**
 * Everything `presentHostRow` reads but the clock: the host's name and OS,
 * its status, its latest snapshot (a host's seq and ts name one snapshot,
 * which is stored whole and never changed) and its samples (only ever
 * appended newer, or replaced before the first append), and how its agent's
 * version stands against the hub's release.
 */
export function hostRowKey(host: HostMetaView, samples: readonly RecentSample[], released: string | null = null): string {
  const latest = host.latestSummary;
  const name = displayName(host);
  // The parts are drawn apart, so "a b" + "c" and "a" + "b c" must differ.
  const os = osParts(host)
    .map((part) => `${part.length}:${part}`)
    .join('');
  // The lengths keep two different names and OS labels from ever joining into the same key.
  const agent = presentAgentVersion(reportedAgentVersion(host), released).mark;
  return `${name.length}:${name}${os.length}:${os}${agent.length}:${agent}${host.status}:${latest ? `${latest.seq}:${latest.ts}` : '-'}:${samples.length}:${samples[0]?.ts ?? '-'}:${samples[samples.length - 1]?.ts ?? '-'}`;
}

export function hostRowFragmentId(hostId: string): string {
  return `host-row:${hostId}`;
}

export function presentListRow(host: HostMetaView, now: number, samples: readonly RecentSample[] = [], released: string | null = null): HostListRow {
  return {
    hostId: host.hostId,
    name: displayName(host),
    fragmentId: hostRowFragmentId(host.hostId),
    fragmentKey: hostRowKey(host, samples, released),
    lastSeen: describeInstant(host.lastSeen, now, 'never'),
    view: () => presentHostRow(host, now, samples, released),
  };
}

export function countStatuses(statuses: Iterable<HostStatus>): HostListView['counts'] {
  const counts = { total: 0, online: 0, stale: 0, offline: 0 };
  for (const status of statuses) {
    counts[status] += 1;
    counts.total += 1;
  }
  return counts;
}

export function countHosts(hosts: readonly HostMetaView[]): HostListView['counts'] {
  return countStatuses(hosts.map((host) => host.status));
}

export function summarise(counts: HostListView['counts']): string {
  const noun = counts.total === 1 ? 'host' : 'hosts';
  return `${counts.total} ${noun}: ${counts.online} online, ${counts.stale} stale, ${counts.offline} offline`;
}

/**
 * View-model for the `index` view: every host, whatever its status, in a
 * stable order (by name, then id). A caller that lists often keeps its
 * `order`, so that names are ranked once, not on every listing.
 */
export function presentHostList(
  hosts: HostMetaView[],
  now: number,
  recent: ReadonlyMap<string, readonly RecentSample[]> = new Map(),
  order: NameOrder = new NameOrder(),
  released: string | null = null,
): HostListView {
  const counts = countHosts(hosts);
  const rows = hosts.map((host) => presentListRow(host, now, recent.get(host.hostId), released));
  const ranks = order.rank(rows.map((row) => row.name));
  const ranked = rows.map((row) => ({ rank: ranks.get(row.name) ?? 0, row }));
  ranked.sort((a, b) => a.rank - b.rank || (a.row.hostId < b.row.hostId ? -1 : a.row.hostId > b.row.hostId ? 1 : 0));
  return {
    title: 'Hosts',
    liveView: 'list',
    empty: hosts.length === 0,
    summary: summarise(counts),
    counts,
    connectCommand: CONNECT_AGENT_COMMAND,
    hosts: ranked.map((entry) => entry.row),
    releasedVersion: released,
  };
}
