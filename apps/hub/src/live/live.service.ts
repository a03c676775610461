import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  MAX_ERROR_MESSAGE_LENGTH,
  ackError,
  ackOk,
  liveSubscriptionSchema,
  parseWith,
  type Ack,
  type LiveHostUpdate,
  type LiveListUpdate,
  type LiveSnapshotSeries,
  type Snapshot,
} from '@hostwatch/protocol';
import type { Subscription } from 'rxjs';
import { presentHostDetail } from '../dashboard/host-detail.presenter';
import { AgentReleaseService } from '../install/agent-release.service';
import { countStatuses, hostRowFragmentId, presentHostList, presentListRow, summarise } from '../dashboard/host-list.presenter';
import { NameOrder } from '../dashboard/name-order';
import { VIEW_ENGINE, type ViewEngine } from '../dashboard/view-engine';
import type { HostStatus, HostView } from '../hosts/host.types';
import { AcceptedSnapshots, type NewLatestSnapshot } from '../ingest/accepted-snapshots';
import { extractSeries, type SeriesPoint } from '../store/series';
import { CLOCK, type Clock } from '../core/clock';
import { LIST_ROOM, LIVE_ROOMS, hostRoom, type LiveRooms } from './live-rooms.repository';
import { TIMERS, type TimerHandle, type Timers } from '../core/timers';
import { CoalescingFlusher, type Batch } from './coalescing-flusher';
import { KeyedQueue } from '../core/keyed-queue';
import { truncate } from '../core/truncate';
import { HostEvents, type HostChange } from '../hosts/host-events';
import { HostService, staleDeadline } from '../hosts/host.service';
import { RecentSamplesService } from '../history/recent-samples.service';

/** What the live service reads to tell a host's status and when it turns stale. */
type StatusOf = Pick<HostView, 'status' | 'connected' | 'lastSeen' | 'firstSeen' | 'intervalMs'>;

export interface LiveOptions {
  /** Browsers get at most one update per room this often. */
  flushIntervalMs: number;
  /** How often statuses that change with the clock alone (online -> stale) are checked. */
  sweepIntervalMs: number;
}

export const LIVE_OPTIONS = Symbol('LiveOptions');
export const DEFAULT_LIVE_OPTIONS: LiveOptions = { flushIntervalMs: 1000, sweepIntervalMs: 1000 };

/** The partials of the host page that updates replace, each rendered from the page's whole view-model. */
export const HOST_SECTIONS = [
  'host-heading',
  'host-notices',
  'host-system',
  'host-os',
  'host-cpu',
  'host-memory',
  'host-battery',
  'host-temperatures',
  'host-network',
  'host-disks',
  'host-processes',
] as const;

/** A page that falls behind (a replaying agent) gets its chart points up to this many at a time. */
const MAX_PENDING_SNAPSHOTS = 120;
/**
 * A list update carries at most this many rows: a browser decodes each
 * message in one go, so a fleet that all changed within a second arrives as
 * a few messages it can take in between frames rather than one big one.
 */
export const MAX_ROWS_PER_MESSAGE = 200;
const MAX_LOGGED = 300;

function chartPoint(ts: number, points: readonly SeriesPoint[]): LiveSnapshotSeries {
  const series: Record<string, number> = {};
  for (const point of points) series[point.name] = point.value;
  return { ts, series };
}

/**
 * Pushes what changes about hosts to the browsers that watch them. Changes
 * are marked per room and flushed together at most once per interval, as
 * HTML rendered from the same partials as the pages, so a browser patches
 * its page without knowing how to draw it.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private readonly options: LiveOptions;
  private readonly flusher: CoalescingFlusher;
  private readonly queue = new KeyedQueue();
  /** The status each host was last shown with, to notice the clock turning it stale; the list's counts come from it. */
  private readonly lastStatus = new Map<string, HostStatus>();
  /** When each online host turns stale unless it is heard from: the sweep looks at these hosts only. */
  private readonly staleAt = new Map<string, number>();
  /** The first sweep reads every host, since hosts stored before this service started have sent no event yet. */
  private swept = false;
  /** The seq of each host's latest snapshot already handled, to tell a new snapshot from a reconnect. */
  private readonly lastSeq = new Map<string, number>();
  private readonly pendingSnapshots = new Map<string, LiveSnapshotSeries[]>();
  /** Browsers whose subscription is being answered: rendering a whole fleet is not done twice at once for one. */
  private readonly subscribing = new Set<string>();
  private readonly order = new NameOrder();
  private readonly subscriptions: Subscription[] = [];
  private sweepTimer: TimerHandle | null = null;
  private sweeping = false;

  constructor(
    private readonly hosts: HostService,
    private readonly events: HostEvents,
    private readonly snapshots: AcceptedSnapshots,
    private readonly samples: RecentSamplesService,
    @Inject(LIVE_ROOMS) private readonly rooms: LiveRooms,
    @Inject(VIEW_ENGINE) private readonly views: ViewEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMERS) private readonly timers: Timers,
    private readonly release: AgentReleaseService,
    @Optional() @Inject(LIVE_OPTIONS) options: Partial<LiveOptions> | null = null,
  ) {
    this.options = { ...DEFAULT_LIVE_OPTIONS, ...options };
    this.flusher = new CoalescingFlusher(
      timers,
      clock,
      this.options.flushIntervalMs,
      (batch) => this.flush(batch),
      (error) => this.logger.error(`Failed to push live updates: ${describe(error)}`),
    );
  }

  onModuleInit(): void {
    this.subscriptions.push(
      this.events.changes$.subscribe((change) => void this.handle(change)),
      this.snapshots.newLatest$.subscribe((stored) => void this.handleNewLatest(stored)),
    );
    this.sweepTimer = this.timers.setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    // The first sweep learns every stored host, so the list's counts are whole from the start.
    void this.sweep();
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    if (this.sweepTimer !== null) this.timers.clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.flusher.stop();
  }

  /** A browser chooses what it watches, and gets the whole of it at once, so a page that reconnects catches up. */
  async subscribe(clientId: string, payload: unknown): Promise<Ack> {
    const parsed = parseWith(liveSubscriptionSchema, payload);
    if (!parsed.ok) {
      this.logger.warn(`Refused an invalid live subscription: ${truncate(parsed.message, MAX_LOGGED)}`);
      return ackError('INVALID_MESSAGE', truncate(`Invalid subscribe: ${parsed.message}`, MAX_ERROR_MESSAGE_LENGTH));
    }
    if (this.subscribing.has(clientId)) {
      return ackError('RATE_LIMITED', 'A subscription of this browser is still being answered; wait for its ack');
    }
    this.subscribing.add(clientId);
    try {
      const subscription = parsed.data;
      if (subscription.view === 'list') {
        this.rooms.join(clientId, LIST_ROOM);
        this.rooms.sendToClient(clientId, 'list', await this.listState());
      } else {
        this.rooms.join(clientId, hostRoom(subscription.hostId));
        this.rooms.sendToClient(clientId, 'host', await this.hostUpdate(subscription.hostId, true));
      }
      return ackOk();
    } catch (error) {
      this.logger.error(`Failed to answer a live subscription: ${describe(error)}`);
      return ackError('INTERNAL_ERROR', 'The hub could not read the current state; try again later');
    } finally {
      this.subscribing.delete(clientId);
    }
  }

  /**
   * Marks hosts whose status the clock alone changed since it was last shown.
   * Only online hosts can change by the clock (to stale; anything else takes
   * an event), so after the first sweep it looks only at hosts whose time is
   * up, and a sweep of a fleet that keeps sending costs a pass over a map.
   */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      if (!this.swept) {
        for (const host of await this.hosts.listMeta()) this.seen(host.hostId, host);
        this.swept = true;
        return;
      }
      const now = this.clock.now();
      const due: string[] = [];
      for (const [hostId, at] of this.staleAt) if (now > at) due.push(hostId);
      for (const hostId of due) {
        const host = await this.hosts.findMeta(hostId);
        if (host) this.seen(hostId, host);
        else this.staleAt.delete(hostId);
      }
    } catch (error) {
      this.logger.error(`Failed to check host statuses: ${describe(error)}`);
    } finally {
      this.sweeping = false;
    }
  }

  /** Notes a host's status as read now; marks it if that is not what it was last shown with. */
  private seen(hostId: string, host: StatusOf): void {
    this.watchStaleness(hostId, host);
    if (this.lastStatus.get(hostId) === host.status) return;
    this.lastStatus.set(hostId, host.status);
    this.mark(hostId);
  }

  /** Only an online host can change by the clock alone: the sweep looks at it once its time is up. */
  private watchStaleness(hostId: string, host: StatusOf): void {
    if (host.status === 'online') this.staleAt.set(hostId, staleDeadline(host));
    else this.staleAt.delete(hostId);
  }

  private handle(change: HostChange): Promise<void> {
    return this.inOrder(change.hostId, () => (change.kind === 'removed' ? this.forget(change.hostId) : this.updated(change.hostId)));
  }

  private handleNewLatest(stored: NewLatestSnapshot): Promise<void> {
    return this.inOrder(stored.snapshot.hostId, () => this.newLatest(stored));
  }

  /** One host's changes are handled in order, so a snapshot's series are never queued twice or out of order. */
  private inOrder(hostId: string, task: () => Promise<void>): Promise<void> {
    return this.queue.run(hostId, async () => {
      try {
        await task();
      } catch (error) {
        this.logger.error(`Failed to handle a change of host '${hostId}': ${describe(error)}`);
      }
      this.mark(hostId);
    });
  }

  /** The connection or the facts changed; a latest this service has not shown yet (a restored host's) is read back. */
  private async updated(hostId: string): Promise<void> {
    const host = await this.hosts.findMeta(hostId);
    if (!host) return;
    this.noteStatus(hostId, host);
    const latestSeq = host.latestSummary?.seq;
    if (latestSeq === undefined || this.lastSeq.get(hostId) === latestSeq) return;
    const latest = (await this.hosts.find(hostId))?.latest;
    if (latest) await this.showLatest(latest, extractSeries(latest), host.intervalMs);
  }

  /** Ingest stored a new latest: the event carries the host and the series, so nothing is read back. */
  private async newLatest({ snapshot, series, host }: NewLatestSnapshot): Promise<void> {
    this.noteStatus(host.hostId, host);
    if (this.lastSeq.get(host.hostId) === snapshot.seq) return;
    await this.showLatest(snapshot, series, host.intervalMs);
  }

  private noteStatus(hostId: string, host: StatusOf): void {
    this.lastStatus.set(hostId, host.status);
    this.watchStaleness(hostId, host);
  }

  private async showLatest(latest: Snapshot, series: readonly SeriesPoint[], intervalMs: number): Promise<void> {
    this.lastSeq.set(latest.hostId, latest.seq);
    await this.samples.record(latest, intervalMs);
    if (!this.rooms.hasMembers(hostRoom(latest.hostId))) return;
    const pending = this.pendingSnapshots.get(latest.hostId) ?? [];
    pending.push(chartPoint(latest.ts, series));
    if (pending.length > MAX_PENDING_SNAPSHOTS) pending.splice(0, pending.length - MAX_PENDING_SNAPSHOTS);
    this.pendingSnapshots.set(latest.hostId, pending);
  }

  private async forget(hostId: string): Promise<void> {
    this.lastStatus.delete(hostId);
    this.staleAt.delete(hostId);
    this.lastSeq.delete(hostId);
    this.pendingSnapshots.delete(hostId);
    this.views.forgetFragment(hostRowFragmentId(hostId));
    await this.samples.forget(hostId);
  }

  /**
   * Nothing is marked for a room nobody watches: a browser that joins later
   * gets the whole view when it subscribes, read after it joined.
   */
  private mark(hostId: string): void {
    if (this.rooms.hasMembers(LIST_ROOM)) this.flusher.mark(LIST_ROOM, hostId);
    const room = hostRoom(hostId);
    if (this.rooms.hasMembers(room)) this.flusher.mark(room, hostId);
  }

  private async flush(batch: Batch): Promise<void> {
    for (const [room, hostIds] of batch) {
      if (room === LIST_ROOM) {
        if (!this.rooms.hasMembers(LIST_ROOM)) continue;
        for (const update of await this.listChanges(hostIds)) this.rooms.sendToRoom(LIST_ROOM, 'list', update);
        continue;
      }
      for (const hostId of hostIds) {
        if (this.rooms.hasMembers(room)) this.rooms.sendToRoom(room, 'host', await this.hostUpdate(hostId, false));
        else this.pendingSnapshots.delete(hostId);
      }
    }
  }

  private async listState(): Promise<LiveListUpdate> {
    const now = this.clock.now();
    const hosts = await this.hosts.listMeta();
    const view = presentHostList(hosts, now, await this.samples.recent(hosts.map((host) => host.hostId)), this.order, this.release.version());
    return {
      now,
      full: true,
      html: this.views.renderPartial('host-list', view),
      summary: view.summary,
      total: view.counts.total,
      rows: [],
      removed: [],
    };
  }

  /** Reads only the hosts that changed; the counts are those of the statuses last shown, as the rows are. */
  private async listChanges(hostIds: ReadonlySet<string>): Promise<LiveListUpdate[]> {
    const now = this.clock.now();
    const changed: Array<{ hostId: string; html: string }> = [];
    const removed: string[] = [];
    const found = await Promise.all([...hostIds].map(async (hostId) => ({ hostId, host: await this.hosts.findMeta(hostId) })));
    const present = found.filter((entry) => entry.host !== null);
    const recent = await this.samples.recent(present.map((entry) => entry.hostId));
    const released = this.release.version();
    for (const { hostId, host } of found) {
      if (!host) {
        removed.push(hostId);
        continue;
      }
      this.lastStatus.set(hostId, host.status);
      const row = presentListRow(host, now, recent.get(hostId), released);
      changed.push({ hostId, html: this.views.renderPartial('host-row', row) });
    }
    const counts = countStatuses(this.lastStatus.values());
    const summary = summarise(counts);
    const updates: LiveListUpdate[] = [];
    for (let start = 0; start === 0 || start < changed.length; start += MAX_ROWS_PER_MESSAGE) {
      const rows = changed.slice(start, start + MAX_ROWS_PER_MESSAGE);
      updates.push({ now, full: false, html: '', summary, total: counts.total, rows, removed: start === 0 ? removed : [] });
    }
    return updates;
  }

  /**
   * The host's page sections. An unknown host on subscribe is not reported as
   * removed: after a hub restart its agent has simply not reconnected yet.
   */
  private async hostUpdate(hostId: string, subscribing: boolean): Promise<LiveHostUpdate> {
    const now = this.clock.now();
    const snapshots = subscribing ? [] : (this.pendingSnapshots.get(hostId) ?? []);
    this.pendingSnapshots.delete(hostId);
    const host = await this.hosts.find(hostId);
    if (!host) return { now, hostId, removed: !subscribing, sections: {}, snapshots: [] };
    const view = presentHostDetail(host, now, this.release.version());
    const sections: Record<string, string> = {};
    for (const name of HOST_SECTIONS) sections[name] = this.views.renderPartial(name, view);
    return { now, hostId, removed: false, sections, snapshots };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
