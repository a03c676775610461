import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AcceptedSnapshots } from '../ingest/accepted-snapshots';
import { HISTORY_REPOSITORY, type HistoryRepository } from '../store/history.repository';

/**
 * Stores every accepted snapshot in history before its agent is acked, with
 * the registry's copy of a new latest in the same commit, from the series
 * ingest took once.
 */
@Injectable()
export class HistoryKeeper implements OnModuleInit {
  constructor(
    private readonly snapshots: AcceptedSnapshots,
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
  ) {}

  onModuleInit(): void {
    this.snapshots.keepWith(({ snapshot, latest, series }) => this.history.append(snapshot, latest, series));
  }
}
