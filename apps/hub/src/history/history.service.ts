import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DEFAULT_HISTORY_POINTS, DEFAULT_HISTORY_SPAN_MS, historyQuerySchema, type MetricListDto } from './history-query.dto';
import { CLOCK, type Clock } from '../core/clock';
import { HISTORY_REPOSITORY, type HistoryRepository, type HistoryResult } from '../store/history.repository';
import { HOST_REPOSITORY, type HostRepository } from '../hosts/host.repository';
import { truncate } from '../core/truncate';

/** The history API: validates the query once, here, and reads the history store. */
@Injectable()
export class HistoryService {
  constructor(
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The points of one metric when the query names one, else the list of metrics. */
  async read(hostId: string, rawQuery: unknown): Promise<HistoryResult | MetricListDto> {
    const parsed = historyQuerySchema.safeParse(rawQuery);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new BadRequestException(`Invalid query parameter '${String(issue.path[0] ?? 'query')}': ${issue.message}`);
    }
    const { metric, points = DEFAULT_HISTORY_POINTS } = parsed.data;
    const to = parsed.data.to ?? this.clock.now();
    const from = parsed.data.from ?? Math.max(0, to - DEFAULT_HISTORY_SPAN_MS);
    if (from > to) throw new BadRequestException(`Invalid query parameters 'from' and 'to': from (${from}) is after to (${to})`);

    const metrics = await this.history.metrics(hostId);
    // History outlives the in-memory host list across a restart, so either one makes a host known.
    if (metrics.length === 0 && (await this.hosts.find(hostId)) === null) throw new NotFoundException(`Unknown host '${hostId}'`);
    if (metric === undefined) return { hostId, metrics };

    const result = await this.history.query({ hostId, metric, from, to, points });
    if (!result) {
      throw new BadRequestException(
        `Invalid query parameter 'metric': host '${hostId}' has no metric '${truncate(metric, 100)}'; GET /api/hosts/${hostId}/history lists them`,
      );
    }
    return result;
  }
}
