import { DEFAULT_RETENTION } from '../core/retention';
import { describeHostRegistryContract } from './host-registry.contract';
import { SqliteHistoryRepository } from './sqlite-history.repository';
import { WorkerHistoryRepository } from './worker-history.repository';

describeHostRegistryContract(
  'SqliteHistoryRepository',
  async (file) =>
    new SqliteHistoryRepository({
      file,
      retention: DEFAULT_RETENTION,
      clock: { now: () => Date.now() },
      // Background work is not what these tests are about.
      scheduler: { setInterval: () => 0, clearInterval: () => undefined },
      commitWindowMs: 1,
    }),
);

describeHostRegistryContract('WorkerHistoryRepository', (file) => WorkerHistoryRepository.open({ file, retention: DEFAULT_RETENTION, commitWindowMs: 1 }));
