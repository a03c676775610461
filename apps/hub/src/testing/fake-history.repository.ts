import type { Snapshot } from '@hostwatch/protocol';
import { extractSeries } from '../store/series';
import type { HistoryQuery, HistoryRepository, HistoryResult, MetricInfo } from '../store/history.repository';
import type { LatestWrite } from '../store/host-registry.repository';

/** Keeps appended snapshots in memory and can be told to fail, for service tests. */
export class FakeHistoryRepository implements HistoryRepository {
  readonly appended: Snapshot[] = [];
  /** The registry latest each append carried, by host, as a durable store would keep it. */
  readonly latest = new Map<string, LatestWrite>();
  readonly deleted: string[] = [];
  readonly queries: HistoryQuery[] = [];
  /** When set, every append rejects with this error. */
  failAppends: Error | null = null;

  async append(snapshot: Snapshot, latest: LatestWrite | null = null): Promise<void> {
    if (this.failAppends) throw this.failAppends;
    if (latest) this.latest.set(snapshot.hostId, latest);
    if (this.appended.some((s) => s.hostId === snapshot.hostId && s.seq === snapshot.seq)) return;
    this.appended.push(snapshot);
  }

  /** Answers every stored value of the metric in the range, as the raw tier would, capped at `points`. */
  async query(query: HistoryQuery): Promise<HistoryResult | null> {
    this.queries.push(query);
    const points: Array<[number, number]> = [];
    let unit: HistoryResult['unit'] | null = null;
    for (const snapshot of this.of(query.hostId)) {
      const point = extractSeries(snapshot).find((p) => p.name === query.metric);
      if (!point) continue;
      unit = point.unit;
      if (snapshot.ts >= query.from && snapshot.ts <= query.to) points.push([snapshot.ts, point.value]);
    }
    if (unit === null) return null;
    points.sort((a, b) => a[0] - b[0]);
    return { metric: query.metric, unit, tier: 'raw', points: points.slice(0, query.points) };
  }

  async metrics(hostId: string): Promise<MetricInfo[]> {
    const byName = new Map<string, MetricInfo>();
    for (const snapshot of this.of(hostId)) for (const { name, unit } of extractSeries(snapshot)) byName.set(name, { name, unit });
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async deleteHost(hostId: string): Promise<void> {
    this.deleted.push(hostId);
    for (let i = this.appended.length - 1; i >= 0; i--) if (this.appended[i]!.hostId === hostId) this.appended.splice(i, 1);
  }

  private of(hostId: string): Snapshot[] {
    return this.appended.filter((s) => s.hostId === hostId);
  }
}
