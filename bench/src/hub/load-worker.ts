/*
 * A child process of the load generator: a share of the simulated agents,
 * each a real socket.io client with the agent handshake (token, host id,
 * protocol version, interval, host key), its facts, and snapshots on a timer
 * with their acks timed. Driven by the parent over IPC.
 */
import { randomBytes } from 'node:crypto';
import { AGENT_NAMESPACE, PROTOCOL_VERSION, encodeSnapshot, type Ack, type AgentToHubEvents, type HubToAgentEvents } from '@hostwatch/protocol';
import { validFacts } from '@hostwatch/protocol/testing';
import { io, type Socket } from 'socket.io-client';
import { jitteredSnapshot } from './jittered-snapshot';
import type { ToParent, ToWorker, WorkerReport } from './load-messages';
import { SLOW_ACK_MS } from './stalls';

type AgentSocket = Socket<HubToAgentEvents, AgentToHubEvents>;

const ACK_TIMEOUT_MS = 30_000;

interface SimAgent {
  hostId: string;
  socket: AgentSocket;
  seq: number;
  timer: NodeJS.Timeout | null;
}

const agents: SimAgent[] = [];
let report = freshReport();
const totals = { sent: 0, acked: 0, failed: 0, lost: 0 };
let outstanding = 0;

function freshReport(): WorkerReport {
  return {
    sent: 0,
    acked: 0,
    failed: 0,
    lost: 0,
    failCodes: {},
    latenciesMs: [],
    slowAcks: [],
    outstanding: 0,
    connected: 0,
    totals: { sent: 0, acked: 0, failed: 0, lost: 0 },
  };
}

function send(message: ToParent): void {
  process.send?.(message);
}

function connectOne(url: string, token: string, hostId: string, intervalMs: number): Promise<SimAgent | string> {
  return new Promise((resolve) => {
    const socket: AgentSocket = io(`${url}${AGENT_NAMESPACE}`, {
      auth: { token, hostId, protocolVersion: PROTOCOL_VERSION, intervalMs, agentVersion: 'bench', hostKey: randomBytes(32).toString('base64url') },
      transports: ['websocket'],
      // As the agent: snapshots are deflated before they are sent, and no WebSocket compression is offered.
      perMessageDeflate: false as unknown as { threshold: number },
      forceNew: true,
      reconnection: false,
      timeout: 60_000,
    });
    socket.once('connect', () => {
      const agent: SimAgent = { hostId, socket, seq: 0, timer: null };
      socket.timeout(ACK_TIMEOUT_MS).emit('facts', validFacts({ hostname: hostId }), () => resolve(agent));
    });
    socket.once('connect_error', (error) => resolve(`${hostId}: ${error.message}`));
  });
}

function emitSnapshot(agent: SimAgent): void {
  agent.seq += 1;
  const started = performance.now();
  report.sent += 1;
  totals.sent += 1;
  outstanding += 1;
  agent.socket
    .timeout(ACK_TIMEOUT_MS)
    .emit('snapshot', encodeSnapshot(jitteredSnapshot(agent.hostId, agent.seq, Date.now())), (error: Error | null, ack: Ack) => {
      outstanding -= 1;
      if (error) {
        report.lost += 1;
        totals.lost += 1;
        return;
      }
      if (ack.ok) {
        report.acked += 1;
        totals.acked += 1;
        const latencyMs = performance.now() - started;
        report.latenciesMs.push(latencyMs);
        if (latencyMs > SLOW_ACK_MS) report.slowAcks.push([Date.now(), latencyMs]);
      } else {
        report.failed += 1;
        totals.failed += 1;
        report.failCodes[ack.error.code] = (report.failCodes[ack.error.code] ?? 0) + 1;
      }
    });
}

function schedule(sendIntervalMs: number | null): void {
  for (const agent of agents) {
    if (agent.timer) clearInterval(agent.timer);
    agent.timer = null;
    if (sendIntervalMs === null) continue;
    // Spread evenly over the interval, as independent machines would be.
    const phase = Math.random() * sendIntervalMs;
    agent.timer = setTimeout(() => {
      emitSnapshot(agent);
      agent.timer = setInterval(() => emitSnapshot(agent), sendIntervalMs);
    }, phase);
  }
}

process.on('message', (raw: unknown) => {
  const message = raw as ToWorker;
  if (message.type === 'connect') {
    void (async () => {
      const errors: string[] = [];
      const batch = Math.max(1, Math.round(message.connectPerSecond / 10));
      for (let i = 0; i < message.hostIds.length; i += batch) {
        const started = Date.now();
        const results = await Promise.all(message.hostIds.slice(i, i + batch).map((id) => connectOne(message.url, message.token, id, message.intervalMs)));
        for (const result of results) {
          if (typeof result === 'string') errors.push(result);
          else agents.push(result);
        }
        const wait = 100 - (Date.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      send({ type: 'connected', connected: agents.filter((a) => a.socket.connected).length, errors: errors.slice(0, 5), errorCount: errors.length });
    })();
  } else if (message.type === 'rate') {
    schedule(message.sendIntervalMs);
    send({ type: 'rated' });
  } else if (message.type === 'report') {
    const out = { ...report, outstanding, connected: agents.filter((a) => a.socket.connected).length, totals: { ...totals } };
    if (message.reset) report = freshReport();
    send({ type: 'report', report: out });
  } else if (message.type === 'stop') {
    schedule(null);
    for (const agent of agents) agent.socket.disconnect();
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
