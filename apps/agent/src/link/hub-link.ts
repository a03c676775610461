import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type { Ack, AgentAuth, AgentToHubEvents, ClosingNotice, HandshakeErrorData, HostFacts, HubToAgentEvents, Snapshot } from '@hostwatch/protocol';
import { AGENT_NAMESPACE, MAX_ERROR_MESSAGE_LENGTH, checkAck, encodeSnapshot } from '@hostwatch/protocol/light';
import type { Logger } from '../log/logger';
import type { TimerHandle, Timers } from '../time/timers';
import { Backoff } from './backoff';
import { findMisdirection } from './misdirected';
import { describeCertificateProblem, findCertificateProblem, type TlsTrust } from './tls-trust';

/** The hub's refusals that retrying cannot fix; the others (HOST_LIMIT, RATE_LIMITED) are waited out with backoff. */
export type FinalHandshakeCode = Extract<HandshakeErrorData['code'], 'UNAUTHORIZED' | 'INVALID_HANDSHAKE' | 'UNSUPPORTED_PROTOCOL' | 'HOST_CLAIMED'>;
type PassingHandshakeCode = Exclude<HandshakeErrorData['code'], FinalHandshakeCode>;
/**
 * A hub's final refusal, REPLACED included (another live agent took this host over), MISDIRECTED (HTTP 421: the hub
 * does not answer to the name in the hub URL), or the agent's own refusal of the hub's certificate.
 */
export type RefusalCode = FinalHandshakeCode | ClosingNotice['code'] | 'MISDIRECTED' | 'UNTRUSTED_CERTIFICATE';

const REFUSAL_CODES: readonly FinalHandshakeCode[] = ['UNAUTHORIZED', 'INVALID_HANDSHAKE', 'UNSUPPORTED_PROTOCOL', 'HOST_CLAIMED'];
const PASSING_CODES: readonly PassingHandshakeCode[] = ['HOST_LIMIT', 'RATE_LIMITED'];

/** The hub turned the handshake down, or closed the link for good: retrying with the same settings cannot succeed. */
export interface HandshakeRefusal {
  code: RefusalCode;
  /** The hub's own words. */
  message: string;
}

export interface HubLinkHandlers {
  /** The handshake succeeded (first connect or any reconnect). */
  connected(): void;
  disconnected(reason: string): void;
  /** Final: the link has closed itself and will not reconnect. */
  refused(refusal: HandshakeRefusal): void;
}

/** What the agent needs from its connection to the hub. */
export interface HubLink {
  open(handlers: HubLinkHandlers): void;
  close(): void;
  isConnected(): boolean;
  /** Resolves with the hub's ack; rejects with a LinkError when none arrives. */
  sendFacts(facts: HostFacts): Promise<Ack>;
  sendSnapshot(snapshot: Snapshot): Promise<Ack>;
}

/** A message was not acknowledged: not connected, timed out, connection lost, or a garbled ack. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
}

export interface SocketHubLinkOptions {
  /** Origin of the hub, e.g. http://hub.example:3000. */
  hubUrl: string;
  auth: AgentAuth;
  logger: Logger;
  timers: Timers;
  /** Certificate checks for an https hub; left out: the system's CAs, verified. */
  tls?: TlsTrust;
  ackTimeoutMs?: number;
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
  randomizationFactor?: number;
  random?: () => number;
}

type AgentSocket = Socket<HubToAgentEvents, AgentToHubEvents>;

const DEFAULT_ACK_TIMEOUT_MS = 10_000;
// From one second up to 30 s, each delay 50 % either way, so that a fleet
// that lost its hub does not come back all at once.
const DEFAULT_RECONNECTION_DELAY_MS = 1000;
const DEFAULT_RECONNECTION_DELAY_MAX_MS = 30_000;
const DEFAULT_RANDOMIZATION_FACTOR = 0.5;

/** The socket.io connection to the hub's agent namespace. */
export class SocketHubLink implements HubLink {
  private socket: AgentSocket | null = null;
  private closed = false;
  /** Once the hub's certificate was accepted, a later failure is a change on the hub's side that is waited out. */
  private everConnected = false;
  private retryTimer: TimerHandle | null = null;
  /** When the latest snapshot's turn to be encoded and written comes; the next one's comes a loop turn later. */
  private writeTurn: Promise<unknown> = Promise.resolve();
  private readonly backoff: Backoff;
  private readonly ackTimeoutMs: number;
  private readonly reconnection: { delayMs: number; delayMaxMs: number; randomizationFactor: number };

  constructor(private readonly options: SocketHubLinkOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.reconnection = {
      delayMs: options.reconnectionDelayMs ?? DEFAULT_RECONNECTION_DELAY_MS,
      delayMaxMs: options.reconnectionDelayMaxMs ?? DEFAULT_RECONNECTION_DELAY_MAX_MS,
      randomizationFactor: options.randomizationFactor ?? DEFAULT_RANDOMIZATION_FACTOR,
    };
    this.backoff = new Backoff({
      minMs: this.reconnection.delayMs,
      maxMs: this.reconnection.delayMaxMs,
      jitter: this.reconnection.randomizationFactor,
      random: options.random ?? Math.random,
    });
  }

  open(handlers: HubLinkHandlers): void {
    if (this.socket) throw new Error('the hub link is already open');
    const { hubUrl, auth, logger } = this.options;
    const url = `${hubUrl}${AGENT_NAMESPACE}`;
    const socket: AgentSocket = io(url, {
      auth,
      // WebSocket first: one long-lived connection, so the hub notices at once
      // when the agent's process or machine goes away; long-polling is only
      // the fallback for networks that block WebSocket.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      forceNew: true,
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: this.reconnection.delayMs,
      reconnectionDelayMax: this.reconnection.delayMaxMs,
      randomizationFactor: this.reconnection.randomizationFactor,
      // Snapshots go out deflated already (encodeSnapshot); WebSocket compression on top would only cost.
      // false reaches ws, which then offers no extension; the client's typings know only the object form.
      perMessageDeflate: false as unknown as { threshold: number },
      ...this.options.tls,
    });
    this.socket = socket;

    socket.on('connect', () => {
      this.everConnected = true;
      this.backoff.reset();
      logger.info(`connected to the hub at ${hubUrl} as host ${auth.hostId}`);
      handlers.connected();
    });

    socket.on('connect_error', (error) => {
      if (this.closed) return;
      const code = refusalCode(error);
      if (code) {
        this.close();
        handlers.refused({ code, message: error.message });
        return;
      }
      const passing = passingCode(error);
      if (passing) {
        // The hub is up and said "not now": wait it out with the same backoff as an unreachable hub, but say so.
        logger.warn(`the hub at ${hubUrl} turned the connection away for now (${passing}: ${error.message}); retrying with backoff`);
        if (!socket.active) this.retryLater();
        return;
      }
      // Read before close(), which aborts the request and so empties the hub's answer.
      const misdirection = findMisdirection(error);
      if (misdirection) {
        // Final even after a connection succeeded, as the handshake refusals are: the hub is up and said on purpose that
        // it does not serve this name, and only a person (its --allowed-hosts / --public-url, or this agent's --hub) can
        // change that. Retrying would hide the hub's words in a warning repeated forever. Unlike a certificate gone bad,
        // a 421 proves nothing about who answered, but nobody who can answer plain HTTP needs one to stop the agent.
        this.close();
        handlers.refused({ code: 'MISDIRECTED', message: misdirection.said });
        return;
      }
      const certificate = findCertificateProblem(error);
      if (certificate && !this.everConnected) {
        // Never accepted: a setting on one side is wrong, and waiting cannot fix it.
        this.close();
        handlers.refused({ code: 'UNTRUSTED_CERTIFICATE', message: describeCertificateProblem(certificate) });
        return;
      }
      if (certificate) {
        // Accepted before, so the hub's certificate changed (a renewal gone wrong, an expiry, or someone
        // posing as the hub): no data goes out, the buffer keeps it, and the link keeps trying.
        logger.error(`${describeCertificateProblem(certificate)}; retrying`);
        if (!socket.active) this.retryLater();
        return;
      }
      logger.warn(`cannot reach the hub at ${hubUrl}: ${describeConnectError(error)}; retrying`);
      // A refusal from the hub's middleware with an unknown code stops
      // socket.io's own retries; the agent keeps trying all the same.
      if (!socket.active) this.retryLater();
    });

    socket.on('closing', (notice: unknown) => {
      if (this.closed) return;
      const replaced = replacedNotice(notice);
      if (!replaced) {
        logger.warn(`the hub at ${hubUrl} is closing the connection (${describeNotice(notice)}); reconnecting`);
        return;
      }
      // Another agent with this host's key is live: reconnecting would only take the host back from it, in turns, forever.
      this.close();
      handlers.refused({ code: 'REPLACED', message: replaced.message });
    });

    socket.on('disconnect', (reason) => {
      if (this.closed) return;
      logger.warn(`lost the hub at ${hubUrl} (${reason}); reconnecting`);
      handlers.disconnected(reason);
      // The hub closing this socket on purpose also stops socket.io's retries.
      if (!socket.active) this.retryLater();
    });

    socket.connect();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
  }

  isConnected(): boolean {
    return this.socket?.connected ?? false;
  }

  sendFacts(facts: HostFacts): Promise<Ack> {
    return this.withAck('facts', (socket) => socket.timeout(this.ackTimeoutMs).emitWithAck('facts', facts));
  }

  /**
   * Encoding and writing a snapshot is the largest single piece of the
   * agent's work (its longest task per tick, measured: docs/BENCHMARKS.md,
   * "1. Agent overhead"). Each snapshot waits for a turn of the event loop
   * after the one before it was written, so neither a sample nor a backlog
   * sent after a reconnect (up to the agent's window at once) holds the loop
   * in one go: timers and sockets are served in between.
   */
  sendSnapshot(snapshot: Snapshot): Promise<Ack> {
    const turn = this.writeTurn.then(() => nextLoopTurn());
    // Registered on `turn` before the next snapshot's wait is, so this one is written before that wait starts.
    const ack = turn.then(() => this.withAck('snapshot', (socket) => socket.timeout(this.ackTimeoutMs).emitWithAck('snapshot', encodeSnapshot(snapshot))));
    this.writeTurn = turn;
    return ack;
  }

  private async withAck(event: string, emit: (socket: AgentSocket) => Promise<unknown>): Promise<Ack> {
    const socket = this.socket;
    // socket.io would queue the message until the next connect; the agent
    // keeps its own buffer instead, so that nothing is sent twice from two queues.
    if (!socket?.connected) throw new LinkError(`cannot send "${event}": not connected to the hub`);
    let raw: unknown;
    try {
      raw = await emit(socket);
    } catch (error) {
      throw new LinkError(`no ack for "${event}" (${error instanceof Error ? error.message : String(error)})`);
    }
    // The hand-written twin of ackSchema: loading the schema library would cost the agent several MiB.
    const parsed = checkAck(raw);
    if (!parsed.ok) throw new LinkError(`the hub answered "${event}" with a malformed ack (${parsed.message})`);
    return parsed.data;
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer !== null) return;
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.socket?.connect();
    }, this.backoff.next());
  }
}

function refusalCode(error: Error): FinalHandshakeCode | null {
  const code = handshakeCode(error);
  return REFUSAL_CODES.find((known) => known === code) ?? null;
}

function passingCode(error: Error): PassingHandshakeCode | null {
  const code = handshakeCode(error);
  return PASSING_CODES.find((known) => known === code) ?? null;
}

function handshakeCode(error: Error): unknown {
  const data: unknown = (error as Error & { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || !('code' in data)) return null;
  return (data as { code: unknown }).code;
}

/** The hub's `closing` notice when it says REPLACED, checked by hand (no schema library in the agent). */
function replacedNotice(notice: unknown): ClosingNotice | null {
  if (typeof notice !== 'object' || notice === null) return null;
  const { code, message } = notice as { code?: unknown; message?: unknown };
  if (code !== 'REPLACED') return null;
  return { code, message: typeof message === 'string' ? message.slice(0, MAX_ERROR_MESSAGE_LENGTH) : '' };
}

function describeNotice(notice: unknown): string {
  const code = typeof notice === 'object' && notice !== null ? (notice as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code.slice(0, 64) : 'no code';
}

/**
 * socket.io says "xhr poll error" or "websocket error" and hides the network
 * cause (ECONNREFUSED, a TLS error, an HTTP status) in `description` or in
 * the request kept in `context`; dig it out.
 */
export function describeConnectError(error: Error): string {
  const { description, context } = error as Error & { description?: unknown; context?: unknown };
  const request = typeof context === 'object' && context !== null ? (context as { statusText?: unknown }) : {};
  const cause = causeText(description) ?? causeText(request.statusText);
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}

function causeText(value: unknown): string | null {
  if (value instanceof Error) {
    const nested = (value as Error & { cause?: unknown }).cause;
    const code = (value as Error & { code?: unknown }).code;
    const base = value.message || (typeof code === 'string' ? code : '');
    const deeper = nested !== undefined ? causeText(nested) : null;
    return deeper && !base.includes(deeper) ? `${base}: ${deeper}` : base || deeper;
  }
  if (typeof value === 'object' && value !== null) {
    // ws reports failures as an ErrorEvent that carries the Error.
    const inner = (value as { error?: unknown; message?: unknown }).error;
    if (inner !== undefined) return causeText(inner);
    const message = (value as { message?: unknown }).message;
    return typeof message === 'string' && message ? message : null;
  }
  if (typeof value === 'number' && value > 0) return `HTTP ${value}`;
  if (typeof value === 'string' && value) return value;
  return null;
}
