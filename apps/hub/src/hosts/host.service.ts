import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { HostMetaView, HostRecord, HostStatus, HostView } from './host.types';
import { CLOCK, type Clock } from '../core/clock';
import { HOST_REPOSITORY, type HostRepository } from './host.repository';

/** What a host's status is derived from. */
type StatusFields = Pick<HostRecord, 'connected' | 'lastSeen' | 'firstSeen' | 'intervalMs'>;
type Listed = StatusFields & Pick<HostRecord, 'hostId' | 'facts'>;

/** A connected host turns stale after this many intervals without a message. */
export const STALE_AFTER_INTERVALS = 3;

/** The moment after which a connected host is stale, unless it is heard from before. */
export function staleDeadline(record: StatusFields): number {
  return (record.lastSeen ?? record.firstSeen) + STALE_AFTER_INTERVALS * record.intervalMs;
}

export function deriveStatus(record: StatusFields, now: number): HostStatus {
  if (!record.connected) return 'offline';
  return now > staleDeadline(record) ? 'stale' : 'online';
}

/** Sorts by host name, then id, so that the list stays put as hosts come and go. */
function compareHosts(a: Listed, b: Listed): number {
  const byName = (a.facts?.hostname ?? a.hostId).localeCompare(b.facts?.hostname ?? b.hostId);
  return byName !== 0 ? byName : a.hostId.localeCompare(b.hostId);
}

function withStatus<T extends StatusFields>(host: T, now: number): T & { status: HostStatus } {
  return { ...host, status: deriveStatus(host, now) };
}

/** Every host with its status as of `now`, in list order. */
function withStatuses<T extends Listed>(hosts: T[], now: number): Array<T & { status: HostStatus }> {
  return hosts.map((host) => withStatus(host, now)).sort(compareHosts);
}

/** Reads hosts with their status as of now. */
@Injectable()
export class HostService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(): Promise<HostView[]> {
    const now = this.clock.now();
    return withStatuses(await this.hosts.list(), now);
  }

  async find(hostId: string): Promise<HostView | null> {
    const record = await this.hosts.find(hostId);
    return record ? withStatus(record, this.clock.now()) : null;
  }

  /** Like list, without reading back the latest snapshots (HostMeta). */
  async listMeta(): Promise<HostMetaView[]> {
    const now = this.clock.now();
    return withStatuses(await this.hosts.listMeta(), now);
  }

  /** Like find, without reading back the latest snapshot (HostMeta). */
  async findMeta(hostId: string): Promise<HostMetaView | null> {
    const meta = await this.hosts.findMeta(hostId);
    return meta ? withStatus(meta, this.clock.now()) : null;
  }

  /** Like find, but an unknown host is a 404 with a message naming it. */
  async get(hostId: string): Promise<HostView> {
    const host = await this.find(hostId);
    if (!host) throw new NotFoundException(`Unknown host '${hostId}'`);
    return host;
  }

  async count(): Promise<number> {
    return this.hosts.count();
  }
}
