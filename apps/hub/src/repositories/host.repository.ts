import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from '../domain/host.types';

/**
 * The store of what the hub knows about each host: its facts, its latest
 * snapshot and whether agents are connected. Asynchronous so that a bigger
 * deployment can put it in a shared database.
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
  addConnection(hostId: string, intervalMs: number, now: number): Promise<void>;
  /** Counts one agent socket closed; the host is disconnected once none remain. */
  removeConnection(hostId: string): Promise<void>;
  /** Stores the host's static facts; the host must exist. */
  saveFacts(hostId: string, facts: HostFacts, now: number): Promise<void>;
  /**
   * Stores the snapshot as the host's latest; the host must exist. `json`:
   * the JSON text the snapshot was parsed from, when the caller has it, so
   * a store that keeps text need not write it again.
   */
  saveSnapshot(snapshot: Snapshot, now: number, json?: string | null): Promise<void>;
  /** Forgets the host and its open-socket count; a no-op for an unknown host. */
  remove(hostId: string): Promise<void>;
}

export const HOST_REPOSITORY = Symbol('HostRepository');
