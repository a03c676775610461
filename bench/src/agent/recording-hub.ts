import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { AGENT_NAMESPACE, ackOk, agentAuthSchema, decodeSnapshotPayload, parseWith, snapshotSchema } from '@hostwatch/protocol';
import { PER_MESSAGE_DEFLATE } from '@hostwatch/hub/dist/ingest/agent-io.adapter';
import { Server } from 'socket.io';

/**
 * A stand-in hub for measuring one agent: the real socket.io handshake on the
 * agent namespace, every message acked, and every byte the agent sends
 * counted at the TCP level (WebSocket and socket.io framing, pings included),
 * offering per-message deflate as the hub does. Each snapshot is measured on
 * the wire as well: a snapshot travels as socket.io's binary event, a short
 * text frame naming the event followed by a binary frame with the deflated
 * JSON, and the two frames' whole size (headers included) is what it costs.
 */
export class RecordingHub {
  private readonly http: HttpServer;
  private readonly io: Server;
  private readonly sockets = new Set<NetSocket>();
  private closedBytes = 0;
  snapshots = 0;
  invalid = 0;
  readonly snapshotJsonBytes: number[] = [];
  /** Per snapshot, in arrival order: its frames on the wire, headers included. */
  readonly snapshotFrameBytes: number[] = [];
  private waiters: Array<() => void> = [];
  /** Called once per snapshot, after its ack went out. */
  onSnapshot: () => void = () => undefined;

  constructor() {
    this.http = createServer();
    this.http.on('connection', (socket: NetSocket) => {
      this.sockets.add(socket);
      const frames = new FrameMeter((bytes) => this.snapshotFrameBytes.push(bytes));
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
      socket.on('snapshot', (payload: unknown, ack: unknown) => {
        const decoded = decodeSnapshotPayload(payload);
        const parsed = decoded.ok ? parseWith(snapshotSchema, decoded.data.value) : null;
        // The agent's own JSON, as inflated; a snapshot sent as a plain object is measured as JSON.stringify writes it.
        const json = decoded.ok ? decoded.data.json : null;
        if (parsed?.ok) {
          this.snapshotJsonBytes.push(Buffer.byteLength(json ?? JSON.stringify(parsed.data)));
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
 * its HTTP upgrade request) and reports, for each binary frame, its size plus
 * the size of the text frame before it: a socket.io binary event's two frames.
 */
class FrameMeter {
  private pending = Buffer.alloc(0);
  private upgraded = false;
  /** Bytes of the current frame's payload still to skip. */
  private skip = 0;
  private lastTextFrameBytes = 0;

  constructor(private readonly onBinaryEvent: (bytes: number) => void) {}

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
      const bytes = header.headerBytes + header.payloadBytes;
      if (header.opcode === TEXT) this.lastTextFrameBytes = bytes;
      if (header.opcode === BINARY) this.onBinaryEvent(this.lastTextFrameBytes + bytes);
      this.pending = this.pending.subarray(header.headerBytes);
      this.skip = header.payloadBytes;
      if (this.skip === 0 && this.pending.length === 0) return;
    }
  }
}

const TEXT = 0x1;
const BINARY = 0x2;

function frameHeader(data: Buffer): { opcode: number; headerBytes: number; payloadBytes: number } | null {
  if (data.length < 2) return null;
  const opcode = data[0]! & 0x0f;
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
  return data.length < headerBytes ? null : { opcode, headerBytes, payloadBytes };
}
