import type { RecentSample } from './recent-samples.repository';

/** Fields per sample in the ring: ts, cpu (NaN for null), memory. */
const FIELDS = 3;

/**
 * One host's last few samples as numbers in one Float64Array. A hub keeps
 * thirty per host: as objects that was some 180 objects per host, kept for
 * minutes, that every full garbage collection had to walk, and each append
 * copied the host's array. Here an append writes three numbers, and the
 * collector sees one array per host whatever the count.
 */
export class SampleRing {
  private readonly values: Float64Array;
  /** Index of the oldest sample. */
  private start = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.values = new Float64Array(capacity * FIELDS);
  }

  /** The newest sample's time; undefined while empty. */
  get lastTs(): number | undefined {
    return this.count === 0 ? undefined : this.values[this.slot(this.count - 1)];
  }

  /** Adds a sample after the newest, dropping the oldest when full. */
  push(sample: RecentSample): void {
    if (this.count === this.capacity) this.start = (this.start + 1) % this.capacity;
    else this.count += 1;
    const at = this.slot(this.count - 1);
    this.values[at] = sample.ts;
    this.values[at + 1] = sample.cpu ?? Number.NaN;
    this.values[at + 2] = sample.memory;
  }

  /** Oldest first, as new objects: what a caller does with them never reaches the ring. */
  toArray(): RecentSample[] {
    const samples: RecentSample[] = new Array(this.count);
    for (let i = 0; i < this.count; i += 1) {
      const at = this.slot(i);
      const cpu = this.values[at + 1];
      samples[i] = { ts: this.values[at], cpu: Number.isNaN(cpu) ? null : cpu, memory: this.values[at + 2] };
    }
    return samples;
  }

  /** Where the i-th oldest sample's fields begin. */
  private slot(i: number): number {
    return ((this.start + i) % this.capacity) * FIELDS;
  }
}
