import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostStatus, HostView } from './host.types';

/** One host in the JSON API. */
export interface HostDto {
  hostId: string;
  hostname: string | null;
  status: HostStatus;
  /** ms since the Unix epoch; null if the hub never heard from the host. */
  lastSeen: number | null;
  connected: boolean;
  intervalMs: number;
  /** The version the agent named when it connected; null when it named none. */
  agentVersion: string | null;
  facts: HostFacts | null;
  /** The latest snapshot; null until the first arrives. */
  metrics: Snapshot | null;
}

export function toHostDto(host: HostView): HostDto {
  return {
    hostId: host.hostId,
    hostname: host.facts?.hostname ?? null,
    status: host.status,
    lastSeen: host.lastSeen,
    connected: host.connected,
    intervalMs: host.intervalMs,
    agentVersion: host.agentVersion,
    facts: host.facts,
    metrics: host.latest,
  };
}
