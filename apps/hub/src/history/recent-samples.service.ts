import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import { HISTORY_REPOSITORY, type HistoryRepository } from '../store/history.repository';
import { RECENT_SAMPLES_CAPACITY, RECENT_SAMPLES_REPOSITORY, type RecentSample, type RecentSamplesRepository } from './recent-samples.repository';
import { KeyedQueue } from '../core/keyed-queue';

export function sampleOf(snapshot: Snapshot): RecentSample {
  return { ts: snapshot.ts, cpu: snapshot.cpu.usagePercent, memory: snapshot.memory.usedPercent };
}

/**
 * Keeps the last few CPU and memory values of every host for the sparklines.
 * A host first seen since this hub started is seeded from history, where
 * there is one, so the sparklines are not blank after a restart.
 */
@Injectable()
export class RecentSamplesService {
  private readonly logger = new Logger(RecentSamplesService.name);
  private readonly queue = new KeyedQueue();
  private readonly seeded = new Set<string>();

  constructor(
    @Inject(RECENT_SAMPLES_REPOSITORY) private readonly samples: RecentSamplesRepository,
    @Optional() @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository | null = null,
  ) {}

  /** Adds the host's snapshot; `intervalMs` sizes the history range a first seed reads. */
  record(snapshot: Snapshot, intervalMs: number): Promise<void> {
    return this.queue.run(snapshot.hostId, async () => {
      if (!this.seeded.has(snapshot.hostId)) {
        this.seeded.add(snapshot.hostId);
        await this.seed(snapshot, intervalMs);
      }
      await this.samples.append(snapshot.hostId, sampleOf(snapshot));
    });
  }

  recent(hostIds: readonly string[]): Promise<Map<string, readonly RecentSample[]>> {
    return this.samples.getMany(hostIds);
  }

  forget(hostId: string): Promise<void> {
    return this.queue.run(hostId, async () => {
      this.seeded.delete(hostId);
      await this.samples.forget(hostId);
    });
  }

  private async seed(snapshot: Snapshot, intervalMs: number): Promise<void> {
    if (!this.history) return;
    const query = {
      hostId: snapshot.hostId,
      from: snapshot.ts - RECENT_SAMPLES_CAPACITY * intervalMs,
      // The current snapshot is appended afterwards, whether history holds it already or not.
      to: snapshot.ts - 1,
      // Room for a late or doubled sample, so that the finest tier still fits.
      points: RECENT_SAMPLES_CAPACITY * 2,
    };
    try {
      const [cpu, memory] = await Promise.all([this.history.query({ ...query, metric: 'cpu' }), this.history.query({ ...query, metric: 'memory.used' })]);
      if (!cpu || !memory || snapshot.memory.totalBytes <= 0) return;
      const usedByTs = new Map(memory.points);
      const seeded: RecentSample[] = [];
      for (const [ts, value] of cpu.points) {
        const used = usedByTs.get(ts);
        if (used === undefined) continue;
        seeded.push({ ts, cpu: value, memory: Math.min(100, Math.max(0, (used / snapshot.memory.totalBytes) * 100)) });
      }
      await this.samples.replace(snapshot.hostId, seeded);
    } catch (error) {
      // Sparklines without their past are better than none.
      this.logger.warn(`Could not read recent history of host '${snapshot.hostId}': ${String(error)}`);
    }
  }
}
