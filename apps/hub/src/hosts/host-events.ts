import { Injectable } from '@nestjs/common';
import type { Snapshot } from '@hostwatch/protocol';
import { Subject, type Observable } from 'rxjs';

/**
 * What changed about a host. `updated`: something stored changed (connection,
 * facts, a new latest snapshot); `removed`: the host was forgotten. Status
 * changes that come from the clock alone (online -> stale) are not events:
 * whoever shows status derives it from the clock.
 */
export type HostChange =
  /** `snapshot`: the one just stored as the host's latest, when that is what changed, so listeners need not read it back. */
  | { kind: 'updated'; hostId: string; snapshot?: Snapshot }
  | { kind: 'removed'; hostId: string };

/** The in-process stream of host changes, so that ingest never needs to know who listens. */
@Injectable()
export class HostEvents {
  private readonly subject = new Subject<HostChange>();

  readonly changes$: Observable<HostChange> = this.subject.asObservable();

  emit(change: HostChange): void {
    this.subject.next(change);
  }
}
