/** One point of a host's sparklines. */
export interface RecentSample {
  ts: number;
  /** Total CPU usage, 0..100; null where the host could not measure it. */
  cpu: number | null;
  /** Memory used, 0..100. */
  memory: number;
}

/**
 * The last few samples of every host, for the host list's sparklines.
 * Behind an interface so that several hubs could share them.
 */
export interface RecentSamplesRepository {
  /** Adds a sample, dropping the oldest beyond the capacity; a sample not newer than the last is ignored. */
  append(hostId: string, sample: RecentSample): Promise<void>;
  /** Replaces the host's samples (oldest first), keeping the newest that fit. */
  replace(hostId: string, samples: RecentSample[]): Promise<void>;
  /** Oldest first; empty for an unknown host. A copy: a later change never alters what was handed out, nor the reader what is kept. */
  get(hostId: string): Promise<readonly RecentSample[]>;
  /** Samples of many hosts at once, for a page that lists them; copies as `get`'s. */
  getMany(hostIds: readonly string[]): Promise<Map<string, readonly RecentSample[]>>;
  forget(hostId: string): Promise<void>;
}

export const RECENT_SAMPLES_REPOSITORY = Symbol('RecentSamplesRepository');

/** How many samples a sparkline shows. */
export const RECENT_SAMPLES_CAPACITY = 30;
