import type { HostFacts, Snapshot } from '@hostwatch/protocol';
import type { HostMeta, HostRecord } from './host.types';
import type { HostRepository } from './host.repository';
import type { HostRegistration, HostRegistryRepository, StoredLatest } from '../store/host-registry.repository';
import { InMemoryHostRepository } from './in-memory-host.repository';

/**
 * The hosts of a hub that keeps them across restarts: every read is served
 * from memory (InMemoryHostRepository), filled from the durable registry at
 * start, and every change of what the registry keeps is written through to
 * it before the call resolves. Latest snapshots and deletes are the
 * exception: they reach the registry in the commit of their history (see
 * HostRepository).
 *
 * A write to memory comes first and the registry always gets the host's
 * whole registration, so that one failed write is mended by the next.
 */
export class PersistentHostRepository implements HostRepository {
  private constructor(
    private readonly memory: InMemoryHostRepository,
    private readonly registry: HostRegistryRepository,
  ) {}

  /** Loads every registered host, offline until its agent connects again. */
  static async open(registry: HostRegistryRepository, latestBudgetBytes?: number): Promise<PersistentHostRepository> {
    const memory = new InMemoryHostRepository(latestBudgetBytes);
    memory.restore(await registry.load());
    return new PersistentHostRepository(memory, registry);
  }

  find(hostId: string): Promise<HostRecord | null> {
    return this.memory.find(hostId);
  }

  list(): Promise<HostRecord[]> {
    return this.memory.list();
  }

  count(): Promise<number> {
    return this.memory.count();
  }

  findMeta(hostId: string): Promise<HostMeta | null> {
    return this.memory.findMeta(hostId);
  }

  listMeta(): Promise<HostMeta[]> {
    return this.memory.listMeta();
  }

  async addConnection(hostId: string, intervalMs: number, now: number, agentVersion: string | null = null): Promise<void> {
    await this.memory.addConnection(hostId, intervalMs, now, agentVersion);
    await this.persist(hostId);
  }

  /** Memory only: whether an agent is connected is never restored; every host starts offline. */
  removeConnection(hostId: string): Promise<void> {
    return this.memory.removeConnection(hostId);
  }

  async saveFacts(hostId: string, facts: HostFacts, now: number): Promise<void> {
    await this.memory.saveFacts(hostId, facts, now);
    await this.persist(hostId);
  }

  reserveLatest(hostId: string, bytes: number): Promise<boolean> {
    return this.memory.reserveLatest(hostId, bytes);
  }

  releaseLatest(hostId: string): Promise<void> {
    return this.memory.releaseLatest(hostId);
  }

  saveSnapshot(snapshot: Snapshot, now: number, latest?: StoredLatest | null): Promise<void> {
    return this.memory.saveSnapshot(snapshot, now, latest);
  }

  latestBytes(): Promise<number> {
    return this.memory.latestBytes();
  }

  /** Memory only: HistoryRepository.deleteHost has deleted the registry row, in the commit that deleted the history. */
  remove(hostId: string): Promise<void> {
    return this.memory.remove(hostId);
  }

  private async persist(hostId: string): Promise<void> {
    const meta = await this.memory.findMeta(hostId);
    if (!meta) return;
    const { facts, lastSeen, intervalMs, agentVersion, firstSeen } = meta;
    await this.registry.register({ hostId, facts, lastSeen, intervalMs, agentVersion, firstSeen } satisfies HostRegistration);
  }
}
