import type { Filesystem } from '@hostwatch/protocol';
import type { HostStatus, HostView } from '../domain/host.types';
import type { RecentSample } from '../repositories/recent-samples.repository';
import { displayName, hostHref, osLabel, presentPercent, presentStatus } from './host-identity.presenter';
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
  os: string;
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
}

export interface HostListView {
  title: string;
  /** What the page's script subscribes to for live updates. */
  liveView: 'list';
  empty: boolean;
  summary: string;
  counts: Record<HostStatus, number> & { total: number };
  connectCommand: string;
  hosts: HostRowView[];
}

// Natural order so that web-2 sorts before web-10; a fixed locale keeps the
// order the same whatever the server's locale is.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareRows(a: HostRowView, b: HostRowView): number {
  const byName = collator.compare(a.name, b.name);
  if (byName !== 0) return byName;
  return a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0;
}

/** The filesystem closest to full, since that is the one that needs attention; "/" wins a tie. */
export function fullestFilesystem(filesystems: readonly Filesystem[]): Filesystem | null {
  let fullest: Filesystem | null = null;
  for (const fs of filesystems) {
    if (
      fullest === null ||
      fs.usedPercent > fullest.usedPercent ||
      (fs.usedPercent === fullest.usedPercent && fs.mount === '/' && fullest.mount !== '/')
    ) {
      fullest = fs;
    }
  }
  return fullest;
}

/** One row of the host list; `samples` (oldest first) feed its sparklines. */
export function presentHostRow(host: HostView, now: number, samples: readonly RecentSample[] = []): HostRowView {
  const snapshot = host.latest;
  const name = displayName(host);
  const disk = snapshot ? fullestFilesystem(snapshot.filesystems) : null;
  return {
    hostId: host.hostId,
    href: hostHref(host.hostId),
    name,
    showHostId: name !== host.hostId,
    os: osLabel(host),
    status: presentStatus(host.status),
    cpu: presentPercent(snapshot?.cpu.usagePercent),
    memory: presentPercent(snapshot?.memory.usedPercent),
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
    uptime: snapshot ? formatDuration(snapshot.uptimeSeconds) : NOT_AVAILABLE,
    lastSeen: describeInstant(host.lastSeen, now, 'never'),
  };
}

export function countHosts(hosts: readonly HostView[]): HostListView['counts'] {
  const counts = { total: hosts.length, online: 0, stale: 0, offline: 0 };
  for (const host of hosts) counts[host.status] += 1;
  return counts;
}

export function summarise(counts: HostListView['counts']): string {
  const noun = counts.total === 1 ? 'host' : 'hosts';
  return `${counts.total} ${noun}: ${counts.online} online, ${counts.stale} stale, ${counts.offline} offline`;
}

/** View-model for the `index` view: every host, whatever its status, in a stable order. */
export function presentHostList(
  hosts: HostView[],
  now: number,
  recent: ReadonlyMap<string, readonly RecentSample[]> = new Map(),
): HostListView {
  const counts = countHosts(hosts);
  return {
    title: 'Hosts',
    liveView: 'list',
    empty: hosts.length === 0,
    summary: summarise(counts),
    counts,
    connectCommand: CONNECT_AGENT_COMMAND,
    hosts: hosts.map((host) => presentHostRow(host, now, recent.get(host.hostId))).sort(compareRows),
  };
}
