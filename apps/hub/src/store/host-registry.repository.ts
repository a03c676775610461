import type { HostFacts } from '@hostwatch/protocol';
import type { LatestSummary } from './latest-summary';

/** Everything the registry keeps of a host but its latest snapshot. */
export interface HostRegistration {
  hostId: string;
  facts: HostFacts | null;
  /** ms epoch; null if the hub never heard from the host. */
  lastSeen: number | null;
  intervalMs: number;
  agentVersion: string | null;
  firstSeen: number;
}

/**
 * A host's latest snapshot as the registry keeps it: its compact JSON text,
 * and what the host list shows of it, so that a hub starting with 10,000
 * hosts parses none of their snapshots.
 */
export interface StoredLatest {
  json: string;
  summary: LatestSummary;
}

/** A host as the registry hands it back at start. */
export interface RegisteredHost extends HostRegistration {
  /** Null before the host's first snapshot. */
  latest: StoredLatest | null;
}

/**
 * What a snapshot that becomes its host's latest writes to the registry, in
 * the same commit as its history (see HistoryRepository.append), so that an
 * ack means both are stored. `intervalMs` registers a host whose
 * registration was lost; an existing one keeps its own.
 */
export interface LatestWrite extends StoredLatest {
  lastSeen: number;
  intervalMs: number;
  /**
   * The raw deflate (RFC 1951) of exactly `json`, when the caller has it (an
   * agent's own encoding of a compact snapshot): kept instead of the text,
   * in about half the bytes (so half the pages each commit writes), at no
   * cost to compress.
   */
  deflated?: Uint8Array | null;
}

/**
 * The host registry that outlives the hub's process: what the host list
 * shows of every host the hub ever heard from, until a person deletes it.
 * The hub reads it once, at start; afterwards its hot copy lives in the
 * HostRepository, and this store only takes writes. A host's row goes with
 * its history, in the same commit (HistoryRepository.deleteHost), so that
 * neither outlives the other.
 */
export interface HostRegistryRepository {
  /** Every registered host, in no particular order. */
  load(): Promise<RegisteredHost[]>;
  /**
   * Stores the host's registration, registering it when new; its latest
   * snapshot, if any, is kept. Resolves once committed.
   */
  register(host: HostRegistration): Promise<void>;
}

export const HOST_REGISTRY_REPOSITORY = Symbol('HostRegistryRepository');
