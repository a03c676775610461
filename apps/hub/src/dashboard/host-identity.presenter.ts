import type { HostStatus, HostView } from '../hosts/host.types';
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
export function displayName(host: Pick<HostView, 'hostId' | 'facts'>): string {
  const hostname = host.facts?.hostname.trim();
  return hostname ? hostname : host.hostId;
}

export function hostHref(hostId: string): string {
  return `/hosts/${encodeURIComponent(hostId)}`;
}

/**
 * The OS as its separate values (distribution, release), so that a page can
 * set each apart: a bidi control in one must not reorder the other.
 */
export function osParts(host: Pick<HostView, 'facts'>): string[] {
  const os = host.facts?.os;
  if (!os) return [NOT_AVAILABLE];
  const parts = [os.distro, os.release].map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length > 0) return parts;
  const platform = os.platform.trim();
  return [platform || NOT_AVAILABLE];
}

export type MeterBands = Pick<PercentView, 'low' | 'high' | 'optimum'>;

/** For usage (CPU, memory, disk): low is good, above 70 is a warning, above 90 is bad. */
export const USAGE_BANDS: MeterBands = { low: 70, high: 90, optimum: 0 };

/** For a battery's charge: high is good, below 50 is a warning, below 20 is bad. */
export const CHARGE_BANDS: MeterBands = { low: 20, high: 50, optimum: 100 };

export function presentPercent(value: number | null | undefined, bands: MeterBands = USAGE_BANDS): PercentView {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { text: NOT_AVAILABLE, hasValue: false, value: 0, ...bands };
  }
  return { text: formatPercent(value), hasValue: true, value: Math.min(100, Math.max(0, value)), ...bands };
}
