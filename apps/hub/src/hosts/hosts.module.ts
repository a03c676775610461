import { Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { latestBudgetBytes } from '../core/host-limits';
import { HOST_REGISTRY_REPOSITORY, type HostRegistryRepository } from '../store/host-registry.repository';
import { StoreModule } from '../store/store.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { HostApiController } from './host-api.controller';
import { HostApiService } from './host-api.service';
import { HostEvents } from './host-events';
import { HostQueue } from './host-queue';
import { HostRemovalService } from './host-removal.service';
import { HOST_REPOSITORY } from './host.repository';
import { HostService } from './host.service';
import { PersistentHostRepository } from './persistent-host.repository';

/**
 * Every host the hub has heard from, with its facts, latest snapshot and
 * status; the stream of their changes; the JSON API that lists, shows and
 * deletes them.
 */
@Module({
  imports: [StoreModule],
  controllers: [HostApiController, HealthController],
  providers: [
    {
      provide: HOST_REPOSITORY,
      inject: [HOST_REGISTRY_REPOSITORY, HUB_CONFIG],
      // Every known host is listed from the start, offline until its agent reports again.
      useFactory: (registry: HostRegistryRepository, config: HubConfig) => PersistentHostRepository.open(registry, latestBudgetBytes(config)),
    },
    HostService,
    HostEvents,
    HostQueue,
    HostRemovalService,
    HostApiService,
    HealthService,
  ],
  exports: [HOST_REPOSITORY, HostService, HostEvents, HostQueue, HostRemovalService, HostApiService],
})
export class HostsModule {}
