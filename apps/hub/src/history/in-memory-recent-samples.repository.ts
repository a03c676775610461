import { RECENT_SAMPLES_CAPACITY, type RecentSample, type RecentSamplesRepository } from './recent-samples.repository';
import { SampleRing } from './sample-ring';

/**
 * A small ring per host in process memory. Built by a factory, since its
 * capacity is a plain number. Readers get new objects on every read (the
 * host list reads every host's samples on each visit; appends, a thousand a
 * second on a big hub, are what must stay cheap).
 */
export class InMemoryRecentSamplesRepository implements RecentSamplesRepository {
  private readonly rings = new Map<string, SampleRing>();

  constructor(private readonly capacity: number = RECENT_SAMPLES_CAPACITY) {}

  async append(hostId: string, sample: RecentSample): Promise<void> {
    let ring = this.rings.get(hostId);
    if (!ring) {
      ring = new SampleRing(this.capacity);
      this.rings.set(hostId, ring);
    }
    const lastTs = ring.lastTs;
    if (lastTs !== undefined && sample.ts <= lastTs) return;
    ring.push(sample);
  }

  async replace(hostId: string, samples: RecentSample[]): Promise<void> {
    const ring = new SampleRing(this.capacity);
    for (const sample of samples.slice(-this.capacity)) ring.push(sample);
    this.rings.set(hostId, ring);
  }

  async get(hostId: string): Promise<readonly RecentSample[]> {
    return this.rings.get(hostId)?.toArray() ?? [];
  }

  async getMany(hostIds: readonly string[]): Promise<Map<string, readonly RecentSample[]>> {
    const result = new Map<string, readonly RecentSample[]>();
    for (const hostId of hostIds) result.set(hostId, this.rings.get(hostId)?.toArray() ?? []);
    return result;
  }

  async forget(hostId: string): Promise<void> {
    this.rings.delete(hostId);
  }
}
