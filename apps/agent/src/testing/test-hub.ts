import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import {
  AGENT_NAMESPACE,
  SUPPORTED_PROTOCOL_VERSIONS,
  ackError,
  ackOk,
  agentAuthSchema,
  decodeSnapshotPayload,
  hostFactsSchema,
  parseWith,
  snapshotSchema,
  type Ack,
  type AgentToHubEvents,
  type ClosingNotice,
  type HandshakeErrorData,
  type HostFacts,
  type HubToAgentEvents,
  type Snapshot,
} from '@hostwatch/protocol';

export type Received = { event: 'facts'; payload: HostFacts } | { event: 'snapshot'; payload: Snapshot };

export interface TestHubOptions {
  token: string;
  /** Listen on this port instead of a free one, e.g. to come back after a restart. */
  port?: number;
}

/**
 * A minimal hub: the agent namespace with a token check and acks, enough to
 * drive a real agent over a real socket. Each message is validated with the
 * protocol schema, as the real hub does.
 */
export class TestHub {
  readonly received: Received[] = [];
  handshakes = 0;
  /** Snapshots that came encoded (encodeSnapshot), not as plain objects. */
  encodedSnapshots = 0;
  /** Each WebSocket upgrade's Sec-WebSocket-Extensions answer, in order. */
  readonly extensions: string[] = [];
  /** Codes the next handshakes are refused with, one each, before any check. */
  readonly refuseNext: HandshakeErrorData['code'][] = [];
  /** While set, every HTTP request and WebSocket upgrade is answered 421 with this message, as the hub's Host check does. */
  misdirected: string | null = null;
  /** Answers a valid message; null keeps the ack back (the agent times out). */
  respond: (received: Received) => Ack | Promise<Ack> | null = () => ackOk();

  private constructor(
    private readonly http: HttpServer,
    private readonly io: Server<AgentToHubEvents, HubToAgentEvents>,
    readonly port: number,
  ) {}

  static async start({ token, port = 0 }: TestHubOptions): Promise<TestHub> {
    const http = createServer();
    // Per-message deflate offered as the hub offers it (for browsers): agents must not take it up.
    const io = new Server<AgentToHubEvents, HubToAgentEvents>(http, {
      perMessageDeflate: { threshold: 1024, serverNoContextTakeover: true, clientNoContextTakeover: true },
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, '127.0.0.1', () => resolve());
    });
    const hub = new TestHub(http, io, (http.address() as AddressInfo).port);
    hub.wire(token);
    hub.gate();
    (io.engine as unknown as { ws: { on(event: 'headers', listener: (headers: string[]) => void): void } }).ws.on('headers', (headers) => {
      const answer = headers.find((header) => header.toLowerCase().startsWith('sec-websocket-extensions:'));
      hub.extensions.push(answer === undefined ? '' : answer.slice(answer.indexOf(':') + 1).trim());
    });
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  snapshots(): Snapshot[] {
    return this.received.flatMap((entry) => (entry.event === 'snapshot' ? [entry.payload] : []));
  }

  events(): string[] {
    return this.received.map((entry) => entry.event);
  }

  /** Sends every connected agent a `closing` notice, then closes its connection, as the hub does. */
  closeAgents(notice: ClosingNotice): void {
    for (const socket of this.io.of(AGENT_NAMESPACE).sockets.values()) {
      socket.emit('closing', notice);
      socket.disconnect(true);
    }
  }

  /** Closes every agent's connection without a word, as a hub that restarts does. */
  dropAgents(): void {
    this.io.of(AGENT_NAMESPACE).disconnectSockets(true);
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.http.closeAllConnections();
  }

  /** In front of socket.io's own listeners, as the hub's Host check is. */
  private gate(): void {
    const body = () => JSON.stringify({ statusCode: 421, error: 'Misdirected Request', message: this.misdirected });
    const requests = this.http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    this.http.removeAllListeners('request');
    this.http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.misdirected === null) return requests.forEach((listener) => listener.call(this.http, req, res));
      res.writeHead(421, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' }).end(body());
    });
    const upgrades = this.http.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
    this.http.removeAllListeners('upgrade');
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.misdirected === null) return upgrades.forEach((listener) => listener.call(this.http, req, socket, head));
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 421 Misdirected Request\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body()}`);
    });
  }

  private wire(token: string): void {
    const agents = this.io.of(AGENT_NAMESPACE);
    agents.use((socket, next) => {
      this.handshakes += 1;
      const refuse = (code: HandshakeErrorData['code'], message: string) => {
        const error = new Error(message) as Error & { data: HandshakeErrorData };
        error.data = { code };
        next(error);
      };
      const refusal = this.refuseNext.shift();
      if (refusal) return refuse(refusal, `refused for this test (${refusal})`);
      const auth = parseWith(agentAuthSchema, socket.handshake.auth);
      if (!auth.ok) return refuse('INVALID_HANDSHAKE', auth.message);
      if (auth.data.token !== token) return refuse('UNAUTHORIZED', 'invalid token');
      if (!SUPPORTED_PROTOCOL_VERSIONS.includes(auth.data.protocolVersion)) return refuse('UNSUPPORTED_PROTOCOL', 'unsupported');
      next();
    });
    agents.on('connection', (socket) => {
      socket.on('facts', (payload, ack) => {
        const parsed = parseWith(hostFactsSchema, payload);
        if (!parsed.ok) return ack(ackError('INVALID_MESSAGE', parsed.message));
        this.answer({ event: 'facts', payload: parsed.data }, ack);
      });
      socket.on('snapshot', (payload, ack) => {
        if (payload instanceof Uint8Array) this.encodedSnapshots += 1;
        const decoded = decodeSnapshotPayload(payload);
        if (!decoded.ok) return ack(ackError('INVALID_MESSAGE', decoded.message));
        const parsed = parseWith(snapshotSchema, decoded.data.value);
        if (!parsed.ok) return ack(ackError('INVALID_MESSAGE', parsed.message));
        this.answer({ event: 'snapshot', payload: parsed.data }, ack);
      });
    });
  }

  private answer(received: Received, ack: (ack: Ack) => void): void {
    this.received.push(received);
    const answer = this.respond(received);
    if (answer !== null) void Promise.resolve(answer).then(ack);
  }
}
