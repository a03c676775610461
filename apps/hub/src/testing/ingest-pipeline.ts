import { HistoryKeeper } from '../history/history-keeper';
import { HostEvents } from '../hosts/host-events';
import { HostQueue } from '../hosts/host-queue';
import { HostRemovalService } from '../hosts/host-removal.service';
import type { HostRepository } from '../hosts/host.repository';
import { HostService } from '../hosts/host.service';
import { AcceptedSnapshots } from '../ingest/accepted-snapshots';
import { AgentService } from '../ingest/agent.service';
import type { Clock } from '../core/clock';
import type { HistoryRepository } from '../store/history.repository';

/** Ingest wired to a host store and a history store as the hub's modules wire it, for service tests. */
export function ingestPipeline(hosts: HostRepository, history: HistoryRepository, clock: Clock, events = new HostEvents()) {
  const queue = new HostQueue();
  const snapshots = new AcceptedSnapshots();
  new HistoryKeeper(snapshots, history).onModuleInit();
  return {
    agents: new AgentService(hosts, new HostService(hosts, clock), clock, events, snapshots, queue),
    removal: new HostRemovalService(queue, hosts, history, events),
    snapshots,
    events,
  };
}
