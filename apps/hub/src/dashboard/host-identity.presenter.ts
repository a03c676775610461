import type { HostStatus, HostView } from '../domain/host.types';
import { NOT_AVAILABLE, formatPercent } from './units.format';
import type { PercentView, StatusBadgeView } from './view-model.types';

const STATUS_DESCRIPTIONS: Record<HostStatus, string> = {
  online: 'Sending samples',
  stale: 'Connected but silent for more than 3 intervals',
  offline: 'Disconnected',
};

export function presentStatus(status: HostStatus): StatusBadgeView {
  return { key: status, label: status, className: `status status-${status}`, description: STATUS_DESCRIPTIONS[status] };
}

/** The name a person knows the host by; the id stands in until the agent sends its facts. */
export function displayName(host: HostView): string {
  const hostname = host.facts?.hostname.trim();
  return hostname ? hostname : host.hostId;
}

export function hostHref(hostId: string): string {
  return `/hosts/${encodeURIComponent(hostId)}`;
}

export function osLabel(host: HostView): string {
  const os = host.facts?.os;
  if (!os) return NOT_AVAILABLE;
  const label = [os.distro, os.release].map((part) => part.trim()).filter((part) => part !== '').join(' ');
  return label || os.platform.trim() || NOT_AVAILABLE;
}

export function presentPercent(value: number | null | undefined): PercentView {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { text: NOT_AVAILABLE, hasValue: false, value: 0 };
  return { text: formatPercent(value), hasValue: true, value: Math.min(100, Math.max(0, value)) };
}
