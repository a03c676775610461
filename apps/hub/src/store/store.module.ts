import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { DEFAULT_RETENTION } from '../core/retention';
import { HISTORY_REPOSITORY } from './history.repository';
import { HOST_REGISTRY_REPOSITORY } from './host-registry.repository';
import { HISTORY_FILE } from './sqlite-history.repository';
import { WorkerHistoryRepository } from './worker-history.repository';

/**
 * The hub's durable store: one SQLite file on its own thread, holding every
 * host's history and the host registry. One file and one thread keep both,
 * so that a snapshot's registry row shares its history's commit and a
 * deleted host's row goes in the commit that deletes its history.
 */
@Module({
  providers: [
    {
      provide: HISTORY_REPOSITORY,
      inject: [HUB_CONFIG],
      // Closed by Nest's shutdown hook, after the servers stopped taking snapshots.
      useFactory: (config: HubConfig) =>
        WorkerHistoryRepository.open({
          file: path.join(config.dataDir, HISTORY_FILE),
          retention: config.retention ?? DEFAULT_RETENTION,
        }),
    },
    { provide: HOST_REGISTRY_REPOSITORY, useExisting: HISTORY_REPOSITORY },
  ],
  exports: [HISTORY_REPOSITORY, HOST_REGISTRY_REPOSITORY],
})
export class StoreModule {}
