import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module';
import { IngestModule } from '../ingest/ingest.module';
import { StoreModule } from '../store/store.module';
import { HistoryKeeper } from './history-keeper';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';
import { InMemoryRecentSamplesRepository } from './in-memory-recent-samples.repository';
import { RECENT_SAMPLES_REPOSITORY } from './recent-samples.repository';
import { RecentSamplesService } from './recent-samples.service';

/**
 * What hosts reported over time: every accepted snapshot kept before its
 * ack, the history API over the store's tiers, and the last few values of
 * every host that the sparklines draw.
 */
@Module({
  imports: [StoreModule, HostsModule, IngestModule],
  controllers: [HistoryController],
  providers: [
    HistoryKeeper,
    HistoryService,
    { provide: RECENT_SAMPLES_REPOSITORY, useFactory: () => new InMemoryRecentSamplesRepository() },
    RecentSamplesService,
  ],
  exports: [RecentSamplesService],
})
export class HistoryModule {}
