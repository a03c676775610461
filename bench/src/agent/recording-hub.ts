import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { AGENT_NAMESPACE, ackOk, agentAuthSchema, parseWith, snapshotSchema } from '@hostwatch/protocol';
import { Server } from 'socket.io';

/**
 * A stand-in hub for measuring one agent: the real socket.io handshake on the
 * agent namespace, every message acked, and every byte the agent sends
 * counted at the TCP level (WebSocket and socket.io framing, pings included).
 */
export class RecordingHub {
  private readonly http: HttpServer;
  private readonly io: Server;
  private readonly sockets = new Set<NetSocket>();
  private closedBytes = 0;
  snapshots = 0;
  invalid = 0;
  readonly snapshotJsonBytes: number[] = [];
  private waiters: Array<() => void> = [];
  /** Called once per snapshot, after its ack went out. */
  onSnapshot: () => void = () => undefined;

  constructor() {
    this.http = createServer();
    this.http.on('connection', (socket: NetSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.closedBytes += socket.bytesRead;
        this.sockets.delete(socket);
      });
    });
    // The hub's defaults: no per-message compression.
    this.io = new Server(this.http, { serveClient: false });
    const namespace = this.io.of(AGENT_NAMESPACE);
    namespace.use((socket, next) => {
      const auth = parseWith(agentAuthSchema, socket.handshake.auth);
      next(auth.ok ? undefined : new Error(auth.message));
    });
    namespace.on('connection', (socket) => {
      socket.on('facts', (_facts: unknown, ack: unknown) => {
        if (typeof ack === 'function') ack(ackOk());
      });
      socket.on('snapshot', (snapshot: unknown, ack: unknown) => {
        if (parseWith(snapshotSchema, snapshot).ok) {
          this.snapshotJsonBytes.push(Buffer.byteLength(JSON.stringify(snapshot)));
        } else {
          this.invalid += 1;
        }
        if (typeof ack === 'function') ack(ackOk());
        this.snapshots += 1;
        this.onSnapshot();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.http.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.http.address() as AddressInfo).port}`));
    });
  }

  /** Bytes received from agents so far, over every connection. */
  bytesReceived(): number {
    let total = this.closedBytes;
    for (const socket of this.sockets) total += socket.bytesRead;
    return total;
  }

  /** Resolves when the snapshot count reaches `count`, or rejects after timeoutMs. */
  waitForSnapshots(count: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the agent sent ${this.snapshots} of ${count} snapshots in time`)), timeoutMs);
      const check = () => {
        if (this.snapshots >= count) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
  }
}
