import { Inject, Injectable, Logger } from '@nestjs/common';
import { MAX_ERROR_MESSAGE_LENGTH, ackError, ackOk, checkSnapshot, decodeSnapshotPayload, hostFactsSchema, parseWith, type Ack } from '@hostwatch/protocol';
import type { AgentIdentity } from './agent.types';
import { summariseLatest } from '../store/latest-summary';
import { CLOCK, type Clock } from '../core/clock';
import { truncate } from '../core/truncate';
import { HostEvents } from '../hosts/host-events';
import { HostQueue } from '../hosts/host-queue';
import { HOST_REPOSITORY, type HostRepository } from '../hosts/host.repository';
import { HostService } from '../hosts/host.service';
import { compactJson } from '../store/packed-snapshot';
import { extractSeries } from '../store/series';
import { AcceptedSnapshots } from './accepted-snapshots';

const MAX_LOGGED = 500;
const BUDGET_LOG_EVERY_MS = 60_000;

/**
 * Takes what authenticated agents send. Every payload is validated here,
 * and every outcome, unexpected failures included, becomes an Ack: an agent
 * always learns whether its message was stored.
 */
@Injectable()
export class AgentService {
  private readonly logger = new Logger(AgentService.name);
  /** Snapshots refused for the budget of latest snapshots since the last line that said so, and when that was. */
  private overBudget = { refused: 0, loggedAt: Number.NEGATIVE_INFINITY };

  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    private readonly hostViews: HostService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: HostEvents,
    private readonly snapshots: AcceptedSnapshots,
    private readonly queue: HostQueue,
  ) {}

  async connected(agent: AgentIdentity, remoteAddress: string): Promise<void> {
    await this.guard(agent, 'connect', async () => {
      await this.hosts.addConnection(agent.hostId, agent.intervalMs, this.clock.now(), agent.agentVersion ?? null);
      this.events.emit({ kind: 'updated', hostId: agent.hostId });
      this.logger.log(`Agent for host '${agent.hostId}' connected from ${remoteAddress}`);
    });
  }

  async disconnected(agent: AgentIdentity, reason: string): Promise<void> {
    await this.guard(agent, 'disconnect', async () => {
      await this.hosts.removeConnection(agent.hostId);
      this.events.emit({ kind: 'updated', hostId: agent.hostId });
      this.logger.log(`Agent for host '${agent.hostId}' disconnected (${reason})`);
    });
  }

  async receiveFacts(agent: AgentIdentity, payload: unknown): Promise<Ack> {
    const parsed = parseWith(hostFactsSchema, payload);
    if (!parsed.ok) return this.invalid(agent, 'facts', parsed.message);
    return this.guard(agent, 'facts', async () => {
      await this.ensureHost(agent);
      await this.hosts.saveFacts(agent.hostId, parsed.data, this.clock.now());
      this.events.emit({ kind: 'updated', hostId: agent.hostId });
      return ackOk();
    });
  }

  async receiveSnapshot(agent: AgentIdentity, payload: unknown): Promise<Ack> {
    const decoded = decodeSnapshotPayload(payload);
    if (!decoded.ok) return this.invalid(agent, 'snapshot', decoded.message);
    const parsed = checkSnapshot(decoded.data.value);
    if (!parsed.ok) return this.invalid(agent, 'snapshot', parsed.message);
    const snapshot = parsed.data;
    if (snapshot.hostId !== agent.hostId) {
      this.logger.warn(`Refused a snapshot for host '${snapshot.hostId}' on the socket of host '${agent.hostId}'`);
      return ackError('HOST_MISMATCH', `This socket speaks for host '${agent.hostId}', not '${snapshot.hostId}'`);
    }
    return this.guard(agent, 'snapshot', async () => {
      const latestSeq = await this.ensureHost(agent);
      // Only what the snapshot holds is kept, never the text it came in: an agent could pad that up to the message limit.
      const json = latestSeq === null || snapshot.seq > latestSeq ? compactJson(snapshot) : null;
      // Judged before anything is stored, so that a refused snapshot changes nothing and the agent may send it again.
      if (json !== null && !(await this.hosts.reserveLatest(agent.hostId, Buffer.byteLength(json)))) return this.refuseOverBudget(agent);
      const now = this.clock.now();
      // An agent's own deflated text of exactly this JSON is kept as it came: half the bytes to commit, nothing to compress.
      const deflated = json !== null && payload instanceof Uint8Array && decoded.data.json === json ? payload : null;
      const latest = json === null ? null : { json, deflated, summary: summariseLatest(snapshot), lastSeen: now, intervalMs: agent.intervalMs };
      const accepted = { snapshot, series: extractSeries(snapshot), receivedAt: now, latest };
      try {
        // Before the ack, so an ack means the history, and the registry's copy of a new latest, have it. An older
        // seq goes too: it may be a replayed sample the history lacks, and the store ignores one it already has.
        await this.snapshots.keep(accepted);
        // A replayed or reordered snapshot is acknowledged, so the agent can drop it, but never rewinds the latest view.
        if (latest === null) return ackOk();
        await this.hosts.saveSnapshot(snapshot, now, latest);
      } catch (error) {
        // Room kept for a snapshot never stored would be lost to every host until this one stores another.
        if (json !== null) await this.hosts.releaseLatest(agent.hostId);
        throw error;
      }
      const host = await this.hostViews.findMeta(agent.hostId);
      if (host) this.snapshots.publish({ ...accepted, latest, host });
      return ackOk();
    });
  }

  /**
   * The seq of the host's latest snapshot, null before its first. A host
   * forgotten while its agent stayed connected is registered again.
   */
  private async ensureHost(agent: AgentIdentity): Promise<number | null> {
    const stored = await this.hosts.findMeta(agent.hostId);
    if (stored) return stored.latestSummary?.seq ?? null;
    await this.hosts.addConnection(agent.hostId, agent.intervalMs, this.clock.now(), agent.agentVersion ?? null);
    return null;
  }

  /** At most a line a minute, however many agents are refused. */
  private refuseOverBudget(agent: AgentIdentity): Ack {
    const now = this.clock.now();
    this.overBudget.refused += 1;
    if (now - this.overBudget.loggedAt >= BUDGET_LOG_EVERY_MS) {
      this.logger.warn(
        `The latest snapshots fill their memory budget (--latest-memory-mb): refused ${this.overBudget.refused} bigger snapshot(s) with MEMORY_LIMIT since the last such line, the latest from host '${agent.hostId}'`,
      );
      this.overBudget = { refused: 0, loggedAt: now };
    }
    return ackError('MEMORY_LIMIT', "The hub holds as much of its hosts' latest snapshots as its memory budget allows; send this one again later");
  }

  private invalid(agent: AgentIdentity, event: string, message: string): Ack {
    this.logger.warn(`Refused an invalid ${event} from host '${agent.hostId}': ${truncate(message, MAX_LOGGED)}`);
    return ackError('INVALID_MESSAGE', truncate(`Invalid ${event}: ${message}`, MAX_ERROR_MESSAGE_LENGTH));
  }

  /** Runs a store operation in the host's queue; a failure is logged and acked, never thrown at the socket. */
  private async guard(agent: AgentIdentity, what: string, task: () => Promise<Ack | void>): Promise<Ack> {
    try {
      return (await this.queue.run(agent.hostId, task)) ?? ackOk();
    } catch (error) {
      this.logger.error(`Failed to handle ${what} of host '${agent.hostId}': ${describe(error)}`);
      return ackError('INTERNAL_ERROR', `The hub could not store the ${what}; try again later`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
