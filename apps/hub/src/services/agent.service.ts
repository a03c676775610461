import { Inject, Injectable, Logger } from '@nestjs/common';
import { ackError, ackOk, hostFactsSchema, parseWith, snapshotSchema, type Ack } from '@hostwatch/protocol';
import type { AgentIdentity } from '../domain/agent.types';
import { CLOCK, type Clock } from '../repositories/clock.repository';
import { HOST_REPOSITORY, type HostRepository } from '../repositories/host.repository';
import { KeyedQueue } from '../utils/keyed-queue';
import { HostEvents } from './host-events';
import { truncate } from '../utils/truncate';

/** The protocol caps an ack's error message at 2048 characters. */
const MAX_ACK_MESSAGE = 2048;
const MAX_LOGGED = 500;

/**
 * Takes what authenticated agents send. Every payload is validated here,
 * and every outcome, unexpected failures included, becomes an Ack: an agent
 * always learns whether its message was stored.
 */
@Injectable()
export class AgentService {
  private readonly logger = new Logger(AgentService.name);
  private readonly queue = new KeyedQueue();

  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: HostEvents,
  ) {}

  async connected(agent: AgentIdentity, remoteAddress: string): Promise<void> {
    await this.guard(agent, 'connect', async () => {
      await this.hosts.addConnection(agent.hostId, agent.intervalMs, this.clock.now());
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
      await this.hosts.saveFacts(agent.hostId, parsed.data, this.clock.now());
      this.events.emit({ kind: 'updated', hostId: agent.hostId });
      return ackOk();
    });
  }

  async receiveSnapshot(agent: AgentIdentity, payload: unknown): Promise<Ack> {
    const parsed = parseWith(snapshotSchema, payload);
    if (!parsed.ok) return this.invalid(agent, 'snapshot', parsed.message);
    const snapshot = parsed.data;
    if (snapshot.hostId !== agent.hostId) {
      this.logger.warn(`Refused a snapshot for host '${snapshot.hostId}' on the socket of host '${agent.hostId}'`);
      return ackError('HOST_MISMATCH', `This socket speaks for host '${agent.hostId}', not '${snapshot.hostId}'`);
    }
    return this.guard(agent, 'snapshot', async () => {
      const stored = await this.hosts.find(agent.hostId);
      // A replayed or reordered snapshot is acknowledged, so the agent can drop it, but never rewinds the latest view.
      if (stored?.latest && snapshot.seq <= stored.latest.seq) return ackOk();
      await this.hosts.saveSnapshot(snapshot, this.clock.now());
      this.events.emit({ kind: 'updated', hostId: agent.hostId });
      return ackOk();
    });
  }

  private invalid(agent: AgentIdentity, event: string, message: string): Ack {
    this.logger.warn(`Refused an invalid ${event} from host '${agent.hostId}': ${truncate(message, MAX_LOGGED)}`);
    return ackError('INVALID_MESSAGE', truncate(`Invalid ${event}: ${message}`, MAX_ACK_MESSAGE));
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
