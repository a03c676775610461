import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from '../domain/host.types';

/**
 * The store of what the hub knows about each host: its facts, its latest
 * snapshot and whether agents are connected. Asynchronous so that a bigger
 * deployment can put it in a shared database. A durable store keeps every
 * host until remove(), across restarts (see HostRegistryRepository); a
 * host's latest snapshot is made durable in the commit of its history
 * (HistoryRepository.append), and saveSnapshot only makes it the one read.
 */
export interface HostRepository {
  find(hostId: string): Promise<HostRecord | null>;
  list(): Promise<HostRecord[]>;
  count(): Promise<number>;
  /** The host without reading back its latest snapshot; null for a host the store does not know. */
  findMeta(hostId: string): Promise<HostMeta | null>;
  /** Every host without reading back their latest snapshots. */
  listMeta(): Promise<HostMeta[]>;
  /** Counts one more open agent socket for the host, creating the host when first heard of. */
  addConnection(hostId: string, intervalMs: number, now: number, agentVersion?: string | null): Promise<void>;
  /** Counts one agent socket closed; the host is disconnected once none remain. */
  removeConnection(hostId: string): Promise<void>;
  /** Stores the host's static facts; the host must exist. */
  saveFacts(hostId: string, facts: HostFacts, now: number): Promise<void>;
  /**
   * Makes room for the host's next latest snapshot, of `bytes` bytes of
   * compact JSON, within the store's budget for latest snapshots; false,
   * changing nothing, when that would take it past the budget. The host
   * must exist. Room reserved is used, or given back, by its next
   * saveSnapshot.
   */
  reserveLatest(hostId: string, bytes: number): Promise<boolean>;
  /**
   * Stores the snapshot as the host's latest; the host must exist. `json`:
   * its compact JSON (compactJson), when the caller has it, so that it is
   * not written again.
   */
  saveSnapshot(snapshot: Snapshot, now: number, json?: string | null): Promise<void>;
  /** Bytes the latest snapshots hold together, as the budget counts them. */
  latestBytes(): Promise<number>;
  /** Forgets the host and its open-socket count; a no-op for an unknown host. */
  remove(hostId: string): Promise<void>;
}

export const HOST_REPOSITORY = Symbol('HostRepository');
