import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from './host.types';
import { summariseLatest, type LatestSummary } from '../store/latest-summary';
import type { HostRepository } from './host.repository';
import type { RegisteredHost, StoredLatest } from '../store/host-registry.repository';
import { compactJson, PackedSnapshot } from '../store/packed-snapshot';

interface Entry {
  /** Everything but the latest snapshot, which is kept packed. */
  record: Omit<HostRecord, 'latest'>;
  latest: PackedSnapshot | null;
  latestSummary: LatestSummary | null;
  openSockets: number;
  /** Bytes made room for by reserveLatest and not yet used by saveSnapshot. */
  reserved: number;
}

/**
 * Keeps every host in process memory: the default store of a single hub,
 * and the hot copy of the durable registry (PersistentHostRepository).
 * `latestBudgetBytes`: what its latest snapshots may hold together, as
 * reserveLatest enforces it. Built by hand, not by Nest, which cannot
 * inject a number.
 */
export class InMemoryHostRepository implements HostRepository {
  private readonly hosts = new Map<string, Entry>();
  /** Bytes the latest snapshots hold or have reserved, together. */
  private held = 0;

  constructor(private readonly latestBudgetBytes: number = Number.POSITIVE_INFINITY) {}

  /**
   * Puts hosts from the durable registry in the store, each offline until
   * its agent connects. Their snapshots stay text until read, and count
   * against the budget even beyond it: a host is never dropped for room.
   */
  restore(hosts: readonly RegisteredHost[]): void {
    for (const { latest, ...registration } of hosts) {
      this.forget(registration.hostId);
      const entry: Entry = {
        openSockets: 0,
        latest: latest && new PackedSnapshot(latest.json),
        latestSummary: latest?.summary ?? null,
        reserved: 0,
        record: { ...registration, connected: false },
      };
      this.hosts.set(registration.hostId, entry);
      this.held += charge(entry);
    }
  }

  async find(hostId: string): Promise<HostRecord | null> {
    const entry = this.hosts.get(hostId);
    return entry ? unpack(entry) : null;
  }

  async list(): Promise<HostRecord[]> {
    return [...this.hosts.values()].map(unpack);
  }

  async findMeta(hostId: string): Promise<HostMeta | null> {
    const entry = this.hosts.get(hostId);
    return entry ? meta(entry) : null;
  }

  async listMeta(): Promise<HostMeta[]> {
    return [...this.hosts.values()].map(meta);
  }

  async count(): Promise<number> {
    return this.hosts.size;
  }

  async addConnection(hostId: string, intervalMs: number, now: number, agentVersion: string | null = null): Promise<void> {
    const entry = this.hosts.get(hostId);
    if (entry) {
      entry.openSockets += 1;
      entry.record.connected = true;
      entry.record.intervalMs = intervalMs;
      entry.record.agentVersion = agentVersion;
      entry.record.lastSeen = now;
      return;
    }
    this.hosts.set(hostId, {
      openSockets: 1,
      latest: null,
      latestSummary: null,
      reserved: 0,
      record: { hostId, facts: null, lastSeen: now, connected: true, intervalMs, agentVersion, firstSeen: now },
    });
  }

  async removeConnection(hostId: string): Promise<void> {
    const entry = this.hosts.get(hostId);
    if (!entry) return;
    entry.openSockets = Math.max(0, entry.openSockets - 1);
    entry.record.connected = entry.openSockets > 0;
  }

  async saveFacts(hostId: string, facts: HostFacts, now: number): Promise<void> {
    const { record } = this.require(hostId);
    record.facts = facts;
    record.lastSeen = now;
  }

  async reserveLatest(hostId: string, bytes: number): Promise<boolean> {
    const entry = this.require(hostId);
    const before = charge(entry);
    const needed = PackedSnapshot.capacityAfter(entry.latest?.capacity ?? 0, bytes);
    // A host may always replace its latest with one that takes no more room.
    if (needed <= before) return true;
    if (this.held - before + needed > this.latestBudgetBytes) return false;
    entry.reserved = needed;
    this.held += needed - before;
    return true;
  }

  async releaseLatest(hostId: string): Promise<void> {
    const entry = this.hosts.get(hostId);
    if (!entry) return;
    const before = charge(entry);
    entry.reserved = 0;
    this.held += charge(entry) - before;
  }

  async saveSnapshot(snapshot: Snapshot, now: number, latest: StoredLatest | null = null): Promise<void> {
    const entry = this.require(snapshot.hostId);
    const before = charge(entry);
    const { json, summary } = latest ?? { json: compactJson(snapshot), summary: summariseLatest(snapshot) };
    if (entry.latest) entry.latest.write(json);
    else entry.latest = new PackedSnapshot(json);
    entry.reserved = 0;
    this.held += charge(entry) - before;
    entry.latestSummary = summary;
    entry.record.lastSeen = now;
  }

  async latestBytes(): Promise<number> {
    return this.held;
  }

  async remove(hostId: string): Promise<void> {
    this.forget(hostId);
  }

  private forget(hostId: string): void {
    const entry = this.hosts.get(hostId);
    if (!entry) return;
    this.held -= charge(entry);
    this.hosts.delete(hostId);
  }

  private require(hostId: string): Entry {
    const entry = this.hosts.get(hostId);
    if (!entry) throw new Error(`Unknown host '${hostId}'`);
    return entry;
  }
}

/** What the entry counts against the budget: its buffer, or the room reserved for its next one when that is more. */
function charge(entry: Entry): number {
  return Math.max(entry.latest?.capacity ?? 0, entry.reserved);
}

// Callers get their own copy of the record's top level and of the snapshot, so they cannot change the store by
// accident; facts are replaced whole, never mutated, so sharing them is safe.
function unpack(entry: Entry): HostRecord {
  return { ...entry.record, latest: entry.latest?.read() ?? null };
}

// The summary is replaced whole, never mutated, so sharing it is safe.
function meta(entry: Entry): HostMeta {
  return { ...entry.record, latestSummary: entry.latestSummary };
}
