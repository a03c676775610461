import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { AGENT_NAMESPACE, ackOk, agentAuthSchema, parseWith, snapshotSchema } from '@hostwatch/protocol';
import { PER_MESSAGE_DEFLATE } from '@hostwatch/hub/dist/adapters/agent-io.adapter';
import { Server } from 'socket.io';

/**
 * A stand-in hub for measuring one agent: the real socket.io handshake on the
 * agent namespace, every message acked, and every byte the agent sends
 * counted at the TCP level (WebSocket and socket.io framing, pings included),
 * with the hub's per-message deflate. Each compressed WebSocket frame the
 * agent sends is measured on the wire as well: only snapshots are above the
 * compression threshold, so those are the snapshots as they travel.
 */
export class RecordingHub {
  private readonly http: HttpServer;
  private readonly io: Server;
  private readonly sockets = new Set<NetSocket>();
  private closedBytes = 0;
  snapshots = 0;
  invalid = 0;
  readonly snapshotJsonBytes: number[] = [];
  /** Whole WebSocket frames (header included) that carried a compressed message, in arrival order. */
  readonly compressedFrameBytes: number[] = [];
  private waiters: Array<() => void> = [];
  /** Called once per snapshot, after its ack went out. */
  onSnapshot: () => void = () => undefined;

  constructor() {
    this.http = createServer();
    this.http.on('connection', (socket: NetSocket) => {
      this.sockets.add(socket);
      const frames = new FrameMeter((bytes) => this.compressedFrameBytes.push(bytes));
      socket.on('data', (chunk: Buffer) => frames.feed(chunk));
      socket.once('close', () => {
        this.closedBytes += socket.bytesRead;
        this.sockets.delete(socket);
      });
    });
    this.io = new Server(this.http, { serveClient: false, perMessageDeflate: PER_MESSAGE_DEFLATE });
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

/**
 * Follows the WebSocket frames a client sends on one TCP connection (after
 * its HTTP upgrade request) and reports the size of each frame whose RSV1 bit
 * says it is compressed (RFC 7692).
 */
class FrameMeter {
  private pending = Buffer.alloc(0);
  private upgraded = false;
  /** Bytes of the current frame's payload still to skip. */
  private skip = 0;

  constructor(private readonly onCompressedFrame: (bytes: number) => void) {}

  feed(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    if (!this.upgraded) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.upgraded = true;
      this.pending = this.pending.subarray(end + 4);
    }
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.pending.length);
        this.skip -= n;
        this.pending = this.pending.subarray(n);
        if (this.skip > 0) return;
      }
      const header = frameHeader(this.pending);
      if (header === null) return;
      if (header.compressed) this.onCompressedFrame(header.headerBytes + header.payloadBytes);
      this.pending = this.pending.subarray(header.headerBytes);
      this.skip = header.payloadBytes;
      if (this.skip === 0 && this.pending.length === 0) return;
    }
  }
}

function frameHeader(data: Buffer): { compressed: boolean; headerBytes: number; payloadBytes: number } | null {
  if (data.length < 2) return null;
  const compressed = (data[0]! & 0x40) !== 0;
  const masked = (data[1]! & 0x80) !== 0;
  const short = data[1]! & 0x7f;
  let headerBytes = 2;
  let payloadBytes = short;
  if (short === 126) {
    if (data.length < 4) return null;
    payloadBytes = data.readUInt16BE(2);
    headerBytes = 4;
  } else if (short === 127) {
    if (data.length < 10) return null;
    payloadBytes = Number(data.readBigUInt64BE(2));
    headerBytes = 10;
  }
  if (masked) headerBytes += 4;
  return data.length < headerBytes ? null : { compressed, headerBytes, payloadBytes };
}
