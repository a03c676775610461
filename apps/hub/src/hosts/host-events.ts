import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/**
 * What changed about a host. `updated`: its connection or facts changed;
 * `removed`: the host was forgotten. A new latest snapshot is not a change
 * here: it comes once, with its series, from ingest (AcceptedSnapshots). Status
 * changes that come from the clock alone (online -> stale) are not events:
 * whoever shows status derives it from the clock.
 */
export type HostChange = { kind: 'updated'; hostId: string } | { kind: 'removed'; hostId: string };

/** The in-process stream of host changes, so that ingest never needs to know who listens. */
@Injectable()
export class HostEvents {
  private readonly subject = new Subject<HostChange>();

  readonly changes$: Observable<HostChange> = this.subject.asObservable();

  emit(change: HostChange): void {
    this.subject.next(change);
  }
}
