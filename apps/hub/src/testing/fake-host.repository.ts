import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from '../hosts/host.types';
import { withoutSnapshot } from '../store/latest-summary';
import type { HostRepository } from '../hosts/host.repository';

/** A Map-backed store that records writes and can be told to fail, for service tests. */
export class FakeHostRepository implements HostRepository {
  readonly records = new Map<string, HostRecord>();
  readonly openSockets = new Map<string, number>();
  readonly savedSnapshots: Snapshot[] = [];
  /** When set, every write rejects with this error. */
  failWrites: Error | null = null;

  /** Puts a host in the store as if it had connected at `now`. */
  seed(hostId: string, now: number, overrides: Partial<HostRecord> = {}): HostRecord {
    const record: HostRecord = {
      hostId,
      facts: null,
      latest: null,
      lastSeen: now,
      connected: true,
      intervalMs: 5000,
      agentVersion: null,
      firstSeen: now,
      ...overrides,
    };
    this.records.set(hostId, record);
    this.openSockets.set(hostId, record.connected ? 1 : 0);
    return record;
  }

  async find(hostId: string): Promise<HostRecord | null> {
    const record = this.records.get(hostId);
    return record ? { ...record } : null;
  }

  async list(): Promise<HostRecord[]> {
    return [...this.records.values()].map((record) => ({ ...record }));
  }

  async count(): Promise<number> {
    return this.records.size;
  }

  async findMeta(hostId: string): Promise<HostMeta | null> {
    const record = this.records.get(hostId);
    if (!record) return null;
    return withoutSnapshot(record);
  }

  async listMeta(): Promise<HostMeta[]> {
    return [...this.records.values()].map(withoutSnapshot);
  }

  async addConnection(hostId: string, intervalMs: number, now: number, agentVersion: string | null = null): Promise<void> {
    this.throwIfFailing();
    const record = this.records.get(hostId) ?? this.seed(hostId, now, { connected: false });
    this.openSockets.set(hostId, (this.openSockets.get(hostId) ?? 0) + 1);
    Object.assign(record, { connected: true, intervalMs, agentVersion, lastSeen: now });
  }

  async removeConnection(hostId: string): Promise<void> {
    this.throwIfFailing();
    const open = Math.max(0, (this.openSockets.get(hostId) ?? 0) - 1);
    this.openSockets.set(hostId, open);
    const record = this.records.get(hostId);
    if (record) record.connected = open > 0;
  }

  async saveFacts(hostId: string, facts: HostFacts, now: number): Promise<void> {
    this.throwIfFailing();
    Object.assign(this.require(hostId), { facts, lastSeen: now });
  }

  /** Has room for every snapshot: the budget is the in-memory store's, tested with it. */
  async reserveLatest(hostId: string): Promise<boolean> {
    this.require(hostId);
    return true;
  }

  async releaseLatest(): Promise<void> {}

  async latestBytes(): Promise<number> {
    return [...this.records.values()].reduce((sum, record) => sum + (record.latest ? JSON.stringify(record.latest).length : 0), 0);
  }

  async saveSnapshot(snapshot: Snapshot, now: number): Promise<void> {
    this.throwIfFailing();
    this.savedSnapshots.push(snapshot);
    Object.assign(this.require(snapshot.hostId), { latest: snapshot, lastSeen: now });
  }

  async remove(hostId: string): Promise<void> {
    this.throwIfFailing();
    this.records.delete(hostId);
    this.openSockets.delete(hostId);
  }

  private require(hostId: string): HostRecord {
    const record = this.records.get(hostId);
    if (!record) throw new Error(`Unknown host '${hostId}'`);
    return record;
  }

  private throwIfFailing(): void {
    if (this.failWrites) throw this.failWrites;
  }
}
