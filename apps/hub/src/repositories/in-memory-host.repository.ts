import { Injectable } from '@nestjs/common';
import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from '../domain/host.types';
import { summariseLatest, type LatestSummary } from '../domain/latest-summary';
import type { HostRepository } from './host.repository';
import { PackedSnapshot } from './packed-snapshot';

interface Entry {
  /** Everything but the latest snapshot, which is kept packed. */
  record: Omit<HostRecord, 'latest'>;
  latest: PackedSnapshot | null;
  latestSummary: LatestSummary | null;
  openSockets: number;
}

/** Keeps every host in process memory: the default store of a single hub. */
@Injectable()
export class InMemoryHostRepository implements HostRepository {
  private readonly hosts = new Map<string, Entry>();

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

  async addConnection(hostId: string, intervalMs: number, now: number): Promise<void> {
    const entry = this.hosts.get(hostId);
    if (entry) {
      entry.openSockets += 1;
      entry.record.connected = true;
      entry.record.intervalMs = intervalMs;
      entry.record.lastSeen = now;
      return;
    }
    this.hosts.set(hostId, {
      openSockets: 1,
      latest: null,
      latestSummary: null,
      record: { hostId, facts: null, lastSeen: now, connected: true, intervalMs, firstSeen: now },
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

  async saveSnapshot(snapshot: Snapshot, now: number, json: string | null = null): Promise<void> {
    const entry = this.require(snapshot.hostId);
    if (entry.latest) entry.latest.write(snapshot, json);
    else entry.latest = new PackedSnapshot(snapshot, json);
    entry.latestSummary = summariseLatest(snapshot);
    entry.record.lastSeen = now;
  }

  async remove(hostId: string): Promise<void> {
    this.hosts.delete(hostId);
  }

  private require(hostId: string): Entry {
    const entry = this.hosts.get(hostId);
    if (!entry) throw new Error(`Unknown host '${hostId}'`);
    return entry;
  }
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
