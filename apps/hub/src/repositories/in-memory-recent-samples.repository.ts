import { RECENT_SAMPLES_CAPACITY, type RecentSample, type RecentSamplesRepository } from './recent-samples.repository';

/**
 * A small ring per host in process memory. Built by a factory, since its
 * capacity is a plain number. Each host's samples are a frozen array that a
 * change replaces whole, so readers get it as it is, without a copy: the
 * host list reads every host's samples on every visit.
 */
export class InMemoryRecentSamplesRepository implements RecentSamplesRepository {
  private readonly samples = new Map<string, readonly RecentSample[]>();

  constructor(private readonly capacity: number = RECENT_SAMPLES_CAPACITY) {}

  async append(hostId: string, sample: RecentSample): Promise<void> {
    const ring = this.samples.get(hostId) ?? [];
    const last = ring[ring.length - 1];
    if (last && sample.ts <= last.ts) return;
    const kept = ring.length >= this.capacity ? ring.slice(ring.length - this.capacity + 1) : ring.slice();
    kept.push(Object.freeze({ ...sample }));
    this.samples.set(hostId, Object.freeze(kept));
  }

  async replace(hostId: string, samples: RecentSample[]): Promise<void> {
    this.samples.set(hostId, Object.freeze(samples.slice(-this.capacity).map((sample) => Object.freeze({ ...sample }))));
  }

  async get(hostId: string): Promise<readonly RecentSample[]> {
    return this.samples.get(hostId) ?? [];
  }

  async getMany(hostIds: readonly string[]): Promise<Map<string, readonly RecentSample[]>> {
    const result = new Map<string, readonly RecentSample[]>();
    for (const hostId of hostIds) result.set(hostId, this.samples.get(hostId) ?? []);
    return result;
  }

  async forget(hostId: string): Promise<void> {
    this.samples.delete(hostId);
  }
}
