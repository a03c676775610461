import type { IncomingMessage } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { LIMITS, type HandshakeErrorData } from '@hostwatch/protocol';
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io';
import { DEFAULT_MAX_CONNECTIONS_PER_ADDRESS } from '../core/host-limits';
import { AddressCounter } from './address-counter';
import { releaseWsReads } from './ws-read-release';

/**
 * Every connection is pinged this often and dropped when no pong comes within
 * PING_TIMEOUT_MS: an agent whose network vanished without a TCP close is
 * noticed, and its host marked offline, within their sum (documented in PROTOCOL.md).
 * Each ping and pong costs the hub about as much as a snapshot does, so
 * pinging at the agents' own interval would double the messages it handles;
 * a silent host is shown stale after 3 of its intervals anyway.
 */
export const PING_INTERVAL_MS = 20_000;
export const PING_TIMEOUT_MS = 10_000;

/**
 * Per-message deflate (RFC 7692) on the WebSocket transport, offered for
 * browsers' pages (the hub's HTML fragments). Agents do not take it up: they
 * deflate snapshots themselves (PROTOCOL.md, Wire encoding), because ws
 * inflates on libuv's pool, ten messages at a time per process, with a
 * connection's pongs queued behind. For any client that does take it up, no
 * context is kept between messages either way, the inflater's output buffer
 * is 4 KB instead of zlib's 16 KB, messages below the threshold (acks) go as
 * they are, and ws counts the inflated bytes against maxHttpBufferSize,
 * closing the connection as soon as a message inflates beyond it, so a small
 * frame cannot balloon in memory.
 */
export const PER_MESSAGE_DEFLATE = {
  threshold: 1024,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  // Browsers' pages get the hub's HTML fragments: 4 KB back-references are plenty for them.
  serverMaxWindowBits: 12,
  zlibInflateOptions: { chunkSize: 4 * 1024 },
  zlibDeflateOptions: { memLevel: 7 },
} as const;

/**
 * How many connections one address may open, as a multiple of its cap,
 * before the transport itself turns more away. Between the cap and this
 * ceiling a connection is refused at its namespace handshake with
 * RATE_LIMITED, which a client can read and tell from a hub that is down;
 * past it, a flood costs the hub no more than an HTTP 403 (or 400) each.
 */
export const TRANSPORT_CEILING_FACTOR = 2;

export interface AgentIoAdapterOptions {
  /** Connections (agents and browsers, pending handshakes included) one remote address may hold. */
  maxConnectionsPerAddress?: number;
}

type AllowRequest = NonNullable<ServerOptions['allowRequest']>;

interface EngineSocket {
  remoteAddress: string;
  once(event: 'close', listener: (reason: string, description?: unknown) => void): void;
}

/** engine.io's close reasons for a peer that broke the protocol, rather than left or was closed. */
const ABNORMAL_CLOSE: ReadonlySet<string> = new Set(['transport error', 'parse error']);

/**
 * socket.io with the protocol's limits: anything bigger than a message may be
 * is cut off by the transport before the hub parses or buffers it; silent
 * peers are dropped after one missed ping; one address cannot hold more than
 * its share of connections (refused with RATE_LIMITED at every namespace,
 * and at the transport far past it).
 */
export class AgentIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Connections');
  private readonly counter: AddressCounter;
  private readonly maxPerAddress: number;

  constructor(app: INestApplicationContext, options: AgentIoAdapterOptions = {}) {
    super(app);
    this.maxPerAddress = options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    this.counter = new AddressCounter(this.maxPerAddress * TRANSPORT_CEILING_FACTOR);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): unknown {
    if (!releaseWsReads()) {
      this.logger.warn("This version of ws keeps each connection's last read until a full garbage collection; the hub works, with more of them");
    }
    const inner = options?.allowRequest;
    const allowRequest: AllowRequest = (req, callback) => {
      const address = remoteAddress(req);
      if (!this.counter.allows(address)) {
        this.logger.warn(
          `Refused a connection from ${address} at the transport: it holds ${this.counter.count(address)} already (${TRANSPORT_CEILING_FACTOR} times the cap per address)`,
        );
        callback(`Too many connections from this address (at most ${this.maxPerAddress}); try again later`, false);
        return;
      }
      if (inner) inner(req, callback);
      else callback(null, true);
    };
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: LIMITS.maxMessageBytes,
      perMessageDeflate: PER_MESSAGE_DEFLATE,
      pingInterval: PING_INTERVAL_MS,
      pingTimeout: PING_TIMEOUT_MS,
      allowRequest,
    }) as Server;
    const refuseOverCap = (socket: Socket, next: (error?: Error) => void) => this.refuseOverCap(socket, next);
    // Ahead of every other check of a namespace: a namespace made later gets it when it is made, before its gateway's own.
    server.of('/').use(refuseOverCap);
    server.sockets.on('new_namespace', (namespace: Namespace) => namespace.use(refuseOverCap));
    server.engine.on('connection', (socket: EngineSocket) => {
      const address = socket.remoteAddress;
      this.counter.opened(address);
      socket.once('close', (reason, description) => {
        this.counter.closed(address);
        // An oversized or malformed frame ends only this connection; say so, naming who sent it.
        if (ABNORMAL_CLOSE.has(reason)) {
          this.logger.warn(`Closed a connection from ${address}: ${reason}${description ? ` (${describe(description)})` : ''}`);
        }
      });
    });
    return server;
  }

  /** The connection being admitted counts already (the transport counted it when it opened). */
  private refuseOverCap(socket: Socket, next: (error?: Error) => void): void {
    const address = socket.handshake.address;
    const held = this.counter.count(address);
    if (held <= this.maxPerAddress) {
      next();
      return;
    }
    this.logger.warn(`Refused a connection from ${address} with RATE_LIMITED: it holds ${held - 1} already (the cap per address)`);
    const error: Error & { data?: HandshakeErrorData } = new Error(`Too many connections from this address (at most ${this.maxPerAddress}); try again later`);
    error.data = { code: 'RATE_LIMITED' };
    next(error);
  }

  /**
   * Nest binds each gateway handler to each socket through a pipe of RxJS
   * operators: some 60 objects per connection, alive as long as it is, which
   * every full garbage collection must walk (a third of the heap the hub
   * holds per agent; docs/BENCHMARKS.md, "Why the hub is built as it is"). One plain listener per handler does the same work. Agents' events now
   * bypass Nest's handlers altogether (AgentGateway.answer).
   */
  override bindMessageHandlers(...[socket, handlers, transform]: Parameters<IoAdapter['bindMessageHandlers']>): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        transform(callback(data, ack)).subscribe({
          next: (response: unknown) => {
            if (response === null || response === undefined) return;
            const reply = response as { event?: string; data?: unknown };
            if (reply.event) socket.emit(reply.event, reply.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (error: unknown) => this.logger.error(`A '${String(message)}' handler failed: ${describe(error)}`),
        });
      });
    }
  }
}

function describe(description: unknown): string {
  return description instanceof Error ? description.message : String(description);
}

function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
