import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { LatestSummary } from '../store/latest-summary';

/**
 * online: pushed within the last 3 intervals; stale: connected but silent
 * longer than that; offline: no agent socket is open for it, which is how
 * every host starts after a hub restart until its agent reports again. A
 * host is never dropped from the list for going quiet.
 */
export type HostStatus = 'online' | 'stale' | 'offline';

/** What the hub knows of one host. Status is not stored: it is derived from the clock. */
export interface HostRecord {
  hostId: string;
  /** Static facts the agent sent after connecting; null until then. */
  facts: HostFacts | null;
  /** The newest snapshot accepted for this host; null until the first. */
  latest: Snapshot | null;
  /** When the hub last accepted a message from this host (ms epoch); null if never. */
  lastSeen: number | null;
  /** Whether an agent socket for this host is open now. */
  connected: boolean;
  /** The agent's sampling interval in ms, from its handshake. */
  intervalMs: number;
  /** The version the agent named in its handshake; null when it named none. */
  agentVersion: string | null;
  /** When the hub first heard of this host (ms epoch). */
  firstSeen: number;
}

export interface HostView extends HostRecord {
  status: HostStatus;
}

/**
 * A host without its latest snapshot, which is kept packed and costs a parse
 * to read back (see PackedSnapshot), but with what the host list shows of
 * it (null before the first): for what needs only that.
 */
export type HostMeta = Omit<HostRecord, 'latest'> & { latestSummary: LatestSummary | null };

export type HostMetaView = HostMeta & { status: HostStatus };
