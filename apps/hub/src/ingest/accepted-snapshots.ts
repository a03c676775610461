import { Injectable } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import { Subject, type Observable } from 'rxjs';
import type { HostMetaView } from '../hosts/host.types';
import type { LatestWrite } from '../store/host-registry.repository';
import type { SeriesPoint } from '../store/series';

/** A snapshot that passed validation, with what every consumer needs of it, taken once. */
export interface AcceptedSnapshot {
  snapshot: Snapshot;
  /** Its charted series (extractSeries), for history, live charts and whatever else reads values. */
  series: readonly SeriesPoint[];
  /** When the hub took it, ms epoch. */
  receivedAt: number;
  /**
   * What the host's latest becomes, for the registry; null when the snapshot
   * is not newer than the latest (a replay or a reorder): it fills history only.
   */
  latest: LatestWrite | null;
}

/** An accepted snapshot that became its host's latest, once stored, with the host as it stands now. */
export interface NewLatestSnapshot extends AcceptedSnapshot {
  latest: LatestWrite;
  host: HostMetaView;
}

/** A store that must have a snapshot before its agent is acked; a rejection fails the ack. */
export type SnapshotKeeper = (accepted: AcceptedSnapshot) => Promise<void>;

/**
 * The seam between ingest and the features that use what agents send. A
 * snapshot goes through two steps: every keeper stores it (history), and
 * only then is the agent acked, so that an ack keeps its promise; a snapshot
 * that became its host's latest is then published to every watcher (live
 * pages). Ingest knows neither side.
 */
@Injectable()
export class AcceptedSnapshots {
  private readonly keepers: SnapshotKeeper[] = [];
  private readonly published = new Subject<NewLatestSnapshot>();

  /** New latest snapshots, once stored. A watcher catches its own failures: ingest has acked already. */
  readonly newLatest$: Observable<NewLatestSnapshot> = this.published.asObservable();

  keepWith(keeper: SnapshotKeeper): void {
    this.keepers.push(keeper);
  }

  /** Resolves once every keeper has stored the snapshot, in the order they registered. */
  async keep(accepted: AcceptedSnapshot): Promise<void> {
    for (const keeper of this.keepers) await keeper(accepted);
  }

  publish(stored: NewLatestSnapshot): void {
    this.published.next(stored);
  }
}
