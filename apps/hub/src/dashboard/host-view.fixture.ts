import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import type { HostMetaView, HostView } from '../hosts/host.types';
import { withoutSnapshot } from '../store/latest-summary';

/** The hub's clock in dashboard specs: one minute after the fixture snapshot was taken. */
export const FIXTURE_NOW = validSnapshot().ts + 60_000;

/** A connected, online host with the protocol's fixture facts and snapshot, last seen 12 s before FIXTURE_NOW. */
export function hostView(overrides: Partial<HostView> = {}): HostView {
  const hostId = overrides.hostId ?? 'web-01';
  return {
    hostId,
    facts: validFacts(),
    latest: validSnapshot({ hostId }),
    lastSeen: FIXTURE_NOW - 12_000,
    connected: true,
    intervalMs: 5000,
    agentVersion: null,
    firstSeen: FIXTURE_NOW - 3_600_000,
    status: 'online',
    ...overrides,
  };
}

/** A host called `hostname`, with facts and a snapshot to match. */
export function namedHost(hostId: string, hostname: string, overrides: Partial<HostView> = {}): HostView {
  return hostView({ hostId, facts: validFacts({ hostname }), latest: validSnapshot({ hostId }), ...overrides });
}

/** The host as the list reads it: without its snapshot, with the summary the store keeps of it. */
export function listed(host: HostView): HostMetaView {
  return withoutSnapshot(host);
}
