import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
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
import { countHosts, presentHostList, presentHostRow, summarise } from '../dashboard/host-list.presenter';
import { VIEW_ENGINE, type ViewEngine } from '../dashboard/view-engine';
import type { HostStatus, HostView } from '../domain/host.types';
import { extractSeries } from '../history/series';
import { CLOCK, type Clock } from '../repositories/clock.repository';
import { LIST_ROOM, LIVE_ROOMS, hostRoom, type LiveRooms } from '../repositories/live-rooms.repository';
import { TIMERS, type TimerHandle, type Timers } from '../repositories/timers.repository';
import { CoalescingFlusher, type Batch } from '../utils/coalescing-flusher';
import { KeyedQueue } from '../utils/keyed-queue';
import { truncate } from '../utils/truncate';
import { HostEvents, type HostChange } from './host-events';
import { HostService } from './host.service';
import { RecentSamplesService } from './recent-samples.service';

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
const MAX_LOGGED = 300;

function seriesOf(snapshot: Snapshot): LiveSnapshotSeries {
  const series: Record<string, number> = {};
  for (const point of extractSeries(snapshot)) series[point.name] = point.value;
  return { ts: snapshot.ts, series };
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
  /** The status each host was last shown with, to notice the clock turning it stale. */
  private readonly lastStatus = new Map<string, HostStatus>();
  /** The seq of each host's latest snapshot already handled, to tell a new snapshot from a reconnect. */
  private readonly lastSeq = new Map<string, number>();
  private readonly pendingSnapshots = new Map<string, LiveSnapshotSeries[]>();
  /** Browsers whose subscription is being answered: rendering a whole fleet is not done twice at once for one. */
  private readonly subscribing = new Set<string>();
  private subscription: Subscription | null = null;
  private sweepTimer: TimerHandle | null = null;
  private sweeping = false;

  constructor(
    private readonly hosts: HostService,
    private readonly events: HostEvents,
    private readonly samples: RecentSamplesService,
    @Inject(LIVE_ROOMS) private readonly rooms: LiveRooms,
    @Inject(VIEW_ENGINE) private readonly views: ViewEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMERS) private readonly timers: Timers,
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
    this.subscription = this.events.changes$.subscribe((change) => void this.handle(change));
    this.sweepTimer = this.timers.setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    if (this.sweepTimer !== null) this.timers.clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    this.flusher.stop();
  }

  /** A browser chooses what it watches, and gets the whole of it at once, so a page that reconnects catches up. */
  async subscribe(clientId: string, payload: unknown): Promise<Ack> {
    const parsed = parseWith(liveSubscriptionSchema, payload);
    if (!parsed.ok) {
      this.logger.warn(`Refused an invalid live subscription: ${truncate(parsed.message, MAX_LOGGED)}`);
      return ackError('INVALID_MESSAGE', truncate(`Invalid subscribe: ${parsed.message}`, 2048));
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

  /** Marks hosts whose status the clock alone changed since it was last shown. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const host of await this.hosts.list()) {
        if (this.lastStatus.get(host.hostId) === host.status) continue;
        this.lastStatus.set(host.hostId, host.status);
        this.mark(host.hostId);
      }
    } catch (error) {
      this.logger.error(`Failed to check host statuses: ${describe(error)}`);
    } finally {
      this.sweeping = false;
    }
  }

  private handle(change: HostChange): Promise<void> {
    // One host's changes are handled in order, so a snapshot's series are never queued twice or out of order.
    return this.queue.run(change.hostId, async () => {
      try {
        if (change.kind === 'removed') await this.forget(change.hostId);
        else await this.updated(change.hostId);
      } catch (error) {
        this.logger.error(`Failed to handle a change of host '${change.hostId}': ${describe(error)}`);
      }
      this.mark(change.hostId);
    });
  }

  private async updated(hostId: string): Promise<void> {
    const host = await this.hosts.find(hostId);
    if (!host) return;
    this.lastStatus.set(hostId, host.status);
    const latest = host.latest;
    if (!latest || this.lastSeq.get(hostId) === latest.seq) return;
    this.lastSeq.set(hostId, latest.seq);
    await this.samples.record(latest, host.intervalMs);
    if (!this.rooms.hasMembers(hostRoom(hostId))) return;
    const pending = this.pendingSnapshots.get(hostId) ?? [];
    pending.push(seriesOf(latest));
    if (pending.length > MAX_PENDING_SNAPSHOTS) pending.splice(0, pending.length - MAX_PENDING_SNAPSHOTS);
    this.pendingSnapshots.set(hostId, pending);
  }

  private async forget(hostId: string): Promise<void> {
    this.lastStatus.delete(hostId);
    this.lastSeq.delete(hostId);
    this.pendingSnapshots.delete(hostId);
    await this.samples.forget(hostId);
  }

  private mark(hostId: string): void {
    this.flusher.mark(LIST_ROOM, hostId);
    this.flusher.mark(hostRoom(hostId), hostId);
  }

  private async flush(batch: Batch): Promise<void> {
    for (const [room, hostIds] of batch) {
      if (room === LIST_ROOM) {
        if (this.rooms.hasMembers(LIST_ROOM)) this.rooms.sendToRoom(LIST_ROOM, 'list', await this.listChanges(hostIds));
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
    const hosts = await this.hosts.list();
    const view = presentHostList(hosts, now, await this.samples.recent(hosts.map((host) => host.hostId)));
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

  private async listChanges(hostIds: ReadonlySet<string>): Promise<LiveListUpdate> {
    const now = this.clock.now();
    const hosts = await this.hosts.list();
    const byId = new Map<string, HostView>(hosts.map((host) => [host.hostId, host]));
    const changed = [...hostIds].filter((hostId) => byId.has(hostId));
    const recent = await this.samples.recent(changed);
    const rows = changed.map((hostId) => {
      const host = byId.get(hostId) as HostView;
      this.lastStatus.set(hostId, host.status);
      return { hostId, html: this.views.renderPartial('host-row', presentHostRow(host, now, recent.get(hostId))) };
    });
    const counts = countHosts(hosts);
    return {
      now,
      full: false,
      html: '',
      summary: summarise(counts),
      total: counts.total,
      rows,
      removed: [...hostIds].filter((hostId) => !byId.has(hostId)),
    };
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
    const view = presentHostDetail(host, now);
    const sections: Record<string, string> = {};
    for (const name of HOST_SECTIONS) sections[name] = this.views.renderPartial(name, view);
    return { now, hostId, removed: false, sections, snapshots };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
