import { Inject, Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { AGENT_NAMESPACE, ackError, type Ack, type AgentToHubEvents, type HandshakeErrorData, type HubToAgentEvents } from '@hostwatch/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { AgentSocketData } from './agent.types';
import { CLOCK, type Clock } from '../core/clock';
import { AgentAuthService } from './agent-auth.service';
import { AGENT_RATE_LIMIT, messagesPerSecond, type AgentRateLimit } from './agent-rate';
import { AgentService } from './agent.service';
import { TokenBucket } from './token-bucket';

type AgentSocket = Socket<AgentToHubEvents, HubToAgentEvents, Record<string, never>, AgentSocketData>;
type AgentNamespace = Namespace<AgentToHubEvents, HubToAgentEvents, Record<string, never>, AgentSocketData>;

type HandshakeError = Error & { data?: HandshakeErrorData };

/**
 * Where agents connect. Sockets exist only after the handshake check passed,
 * so every handler knows its host. A newer socket admitted with the host's
 * key replaces the older ones; sockets without a key are all admitted side by
 * side, as before keys existed.
 */
@WebSocketGateway({ namespace: AGENT_NAMESPACE })
export class AgentGateway implements OnGatewayInit<AgentNamespace>, OnGatewayConnection<AgentSocket> {
  private readonly logger = new Logger(AgentGateway.name);
  /** The open sockets of each host: one once a key speaks for it, any number without. */
  private readonly current = new Map<string, Set<AgentSocket>>();

  constructor(
    private readonly auth: AgentAuthService,
    private readonly agents: AgentService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AGENT_RATE_LIMIT) private readonly rate: AgentRateLimit,
  ) {}

  afterInit(namespace: AgentNamespace): void {
    namespace.use((socket, next) => {
      let result: ReturnType<AgentAuthService['verifyHandshake']>;
      try {
        result = this.auth.verifyHandshake(socket.handshake.auth, socket.handshake.address);
      } catch (error) {
        // Without a code the agent takes it as transient and tries again later.
        this.logger.error(`Could not check the handshake from ${socket.handshake.address}: ${describe(error)}`);
        next(new Error('The hub could not check the handshake; try again later'));
        return;
      }
      if (result.ok) {
        socket.data.agent = result.agent;
        socket.data.admission = result.admission;
        this.guardMessages(socket);
        next();
        return;
      }
      const error: HandshakeError = new Error(result.message);
      error.data = { code: result.code };
      next(error);
    });
  }

  handleConnection(socket: AgentSocket): void {
    const agent = socket.data.agent;
    const open = this.current.get(agent.hostId) ?? new Set<AgentSocket>();
    this.current.set(agent.hostId, open);
    // Only a key tells a restarted or copied agent from another machine that happens to share the host id.
    // Agents without one are older than the `closing` notice too: a replaced one would hear a plain
    // disconnect, reconnect, and take the host back, two of them in turns forever.
    const older = socket.data.admission.keyHash === null ? [] : [...open];
    open.add(socket);
    void this.agents.connected(agent, socket.handshake.address);
    for (const socketOfHost of older) {
      open.delete(socketOfHost);
      this.replace(socketOfHost, socket);
    }
    // Listened to here rather than in handleDisconnect because only the event carries the reason.
    socket.once('disconnect', (reason) => {
      open.delete(socket);
      if (open.size === 0 && this.current.get(agent.hostId) === open) this.current.delete(agent.hostId);
      void this.agents.disconnected(agent, reason);
    });
    this.answer(socket, 'facts', (payload) => this.agents.receiveFacts(agent, payload));
    this.answer(socket, 'snapshot', (payload) => this.agents.receiveSnapshot(agent, payload));
  }

  /**
   * Closes an older socket of a host, saying why first: two agents with the
   * same key (a restarted agent whose old connection the hub still holds, a
   * copied machine, two installs) would otherwise both write, their seqs and
   * samples mixed. The newest one is the one that is alive for sure.
   */
  private replace(older: AgentSocket, newer: AgentSocket): void {
    const { hostId } = newer.data.agent;
    const from = newer.handshake.address;
    this.logger.warn(`A new connection for host '${hostId}' from ${from} replaced the one from ${older.handshake.address}`);
    older.emit('closing', {
      code: 'REPLACED',
      message: `Another agent for host '${hostId}' connected from ${from} with this host's key and replaced this connection`,
    });
    // The notice is written first; the transport closes once it is flushed.
    older.disconnect(true);
  }

  /**
   * A plain listener per event rather than @SubscribeMessage: Nest runs each
   * message through its pipes, filters and a chain of RxJS operators, a
   * large share of all the hub allocates under load (docs/BENCHMARKS.md, "Why the hub is built as it is"), for
   * handlers that need none of them. The agent's payload is whatever it
   * sent; the service validates it and always answers with an Ack.
   */
  private answer(socket: AgentSocket, event: keyof AgentToHubEvents, handle: (payload: unknown) => Promise<Ack>): void {
    (socket as unknown as Socket).on(event, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (reply: Ack) => void) : null;
      // Anything but one argument is not a message the protocol knows; the service says so.
      handle(args.length === 1 ? args[0] : args).then(
        (reply) => ack?.(reply),
        (error: unknown) => {
          this.logger.error(`A '${event}' from host '${socket.data.agent.hostId}' failed: ${describe(error)}`);
          ack?.(ackError('INTERNAL_ERROR', `The hub could not handle the ${event}; try again later`));
        },
      );
    });
  }

  /**
   * Runs before every message of the socket, ahead of validation: a revoked
   * token or a lost binding closes the socket, and a message over the rate
   * limit is answered RATE_LIMITED without being read further.
   */
  private guardMessages(socket: AgentSocket): void {
    const { agent, admission } = socket.data;
    const bucket = new TokenBucket(messagesPerSecond(this.rate, agent.intervalMs), this.rate.burst, () => this.clock.now());
    let limited = 0;
    // socket.io reports a packet it could not decode here, then closes the connection.
    socket.on('error', (error) => {
      this.logger.warn(`Closed the connection of host '${agent.hostId}' from ${socket.handshake.address}: ${describe(error)}`);
    });
    socket.use((packet, next) => {
      const last: unknown = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (ack: Ack) => void) : null;
      let verdict: ReturnType<AgentAuthService['recheck']>;
      try {
        verdict = this.auth.recheck(agent, admission);
      } catch (error) {
        this.logger.error(`Could not recheck the agent of host '${agent.hostId}': ${describe(error)}`);
        ack?.(ackError('INTERNAL_ERROR', 'The hub could not check this connection; try again later'));
        return;
      }
      if (!verdict.ok) {
        this.logger.warn(`Closed the connection of host '${agent.hostId}' from ${socket.handshake.address}: ${verdict.code}: ${verdict.message}`);
        ack?.(ackError(verdict.code, verdict.message));
        socket.disconnect(true);
        return;
      }
      if (!bucket.take()) {
        // One line when the limit starts to bite, not one per refused message.
        if (limited === 0) this.logger.warn(`Host '${agent.hostId}' from ${socket.handshake.address} sends faster than allowed; answering RATE_LIMITED`);
        limited += 1;
        ack?.(ackError('RATE_LIMITED', 'Too many messages; send this one again later'));
        return;
      }
      if (limited > 0) {
        this.logger.warn(`Host '${agent.hostId}' is within its rate limit again after ${limited} refused messages`);
        limited = 0;
      }
      next();
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
