import { RECENT_SAMPLES_CAPACITY, type RecentSample, type RecentSamplesRepository } from './recent-samples.repository';

/** A small ring per host in process memory. Built by a factory, since its capacity is a plain number. */
export class InMemoryRecentSamplesRepository implements RecentSamplesRepository {
  private readonly samples = new Map<string, RecentSample[]>();

  constructor(private readonly capacity: number = RECENT_SAMPLES_CAPACITY) {}

  async append(hostId: string, sample: RecentSample): Promise<void> {
    const ring = this.samples.get(hostId) ?? [];
    const last = ring[ring.length - 1];
    if (last && sample.ts <= last.ts) return;
    ring.push({ ...sample });
    if (ring.length > this.capacity) ring.splice(0, ring.length - this.capacity);
    this.samples.set(hostId, ring);
  }

  async replace(hostId: string, samples: RecentSample[]): Promise<void> {
    this.samples.set(
      hostId,
      samples.slice(-this.capacity).map((sample) => ({ ...sample })),
    );
  }

  async get(hostId: string): Promise<RecentSample[]> {
    return (this.samples.get(hostId) ?? []).map((sample) => ({ ...sample }));
  }

  async getMany(hostIds: readonly string[]): Promise<Map<string, RecentSample[]>> {
    const result = new Map<string, RecentSample[]>();
    for (const hostId of hostIds) result.set(hostId, await this.get(hostId));
    return result;
  }

  async forget(hostId: string): Promise<void> {
    this.samples.delete(hostId);
  }
}
