import type { Snapshot } from '@hostwatch/protocol';
import type { HistoryTier } from '../core/retention';
import type { SeriesPoint, SeriesUnit } from './series';
import type { LatestWrite } from './host-registry.repository';

/** The resolutions history is kept at; coarser tiers keep average, min and max. */
export type { HistoryTier };

export interface HistoryQuery {
  hostId: string;
  metric: string;
  /** Inclusive range in ms since the epoch. */
  from: number;
  to: number;
  /** The most points the answer may hold. */
  points: number;
}

export interface HistoryResult {
  metric: string;
  unit: SeriesUnit;
  /** The tier the points were read from: the finest one that covers the range within `points`. */
  tier: HistoryTier;
  /** [ts ms, value] pairs in time order; at most `points` of them. */
  points: Array<[number, number]>;
}

export interface MetricInfo {
  name: string;
  unit: SeriesUnit;
}

/**
 * Where the series of every snapshot are kept over time. Behind an interface
 * so that a bigger deployment can use another database.
 */
export interface HistoryRepository {
  /**
   * Stores the snapshot's series. Resolves once they are committed, so an ack
   * sent after it means the data survives a crash. Idempotent on
   * (hostId, seq): a snapshot already stored is not stored twice.
   * `latest`: when the snapshot becomes its host's latest, the registry's
   * copy of it, written in the same commit (see HostRegistryRepository).
   * `series`: the snapshot's series when the caller has taken them already;
   * taken here otherwise.
   */
  append(snapshot: Snapshot, latest?: LatestWrite | null, series?: readonly SeriesPoint[]): Promise<void>;
  /** Null when the host has no such metric. */
  query(query: HistoryQuery): Promise<HistoryResult | null>;
  /** The metric names stored for a host, sorted. */
  metrics(hostId: string): Promise<MetricInfo[]>;
  /**
   * Forgets the host's whole history, and its registry row where this store
   * keeps the registry too (HostRegistryRepository), in one commit. A no-op
   * for an unknown host.
   */
  deleteHost(hostId: string): Promise<void>;
}

export const HISTORY_REPOSITORY = Symbol('HistoryRepository');
