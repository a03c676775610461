import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from './host.types';
import type { StoredLatest } from '../store/host-registry.repository';

/**
 * The store of what the hub knows about each host: its facts, its latest
 * snapshot and whether agents are connected. Asynchronous so that a bigger
 * deployment can put it in a shared database. A durable store keeps every
 * host across restarts (see HostRegistryRepository). The registry's copy
 * goes with the history's commits: a host's latest snapshot is made durable
 * by HistoryRepository.append, and its row is deleted by deleteHost there;
 * saveSnapshot and remove() only change what is read.
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
   * must exist. Room reserved is used by its next saveSnapshot, or given
   * back by releaseLatest.
   */
  reserveLatest(hostId: string, bytes: number): Promise<boolean>;
  /**
   * Gives back the room reserved for a latest snapshot that will not be
   * saved (storing it failed); the latest the host holds keeps its own. A
   * no-op when nothing is reserved or the host is unknown.
   */
  releaseLatest(hostId: string): Promise<void>;
  /**
   * Stores the snapshot as the host's latest; the host must exist. `latest`:
   * its compact JSON (compactJson) and summary (summariseLatest), when the
   * caller has them, so that neither is made again.
   */
  saveSnapshot(snapshot: Snapshot, now: number, latest?: StoredLatest | null): Promise<void>;
  /** Bytes the latest snapshots hold together, as the budget counts them. */
  latestBytes(): Promise<number>;
  /**
   * Forgets the host and its open-socket count, once the history has deleted
   * it (HistoryRepository.deleteHost); a no-op for an unknown host.
   */
  remove(hostId: string): Promise<void>;
}

export const HOST_REPOSITORY = Symbol('HostRepository');
