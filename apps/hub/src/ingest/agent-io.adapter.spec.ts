import { AGENT_NAMESPACE, LIMITS } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import WebSocket from 'ws';
import { Cleanup, connectAgent, send, startTestHub } from '../e2e/e2e.helpers';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';

const TOKEN = 'deflate-token-0123456789';

/** What a hostile agent offers: deflate with the smallest window, the way the reference agent asks for it. */
const DEFLATE_OFFER = { clientMaxWindowBits: 9, clientNoContextTakeover: true, serverNoContextTakeover: true, threshold: 0 };

interface RawClient {
  ws: WebSocket;
  /** The hub's Sec-WebSocket-Extensions answer. */
  extensions: string;
  closed: Promise<{ code: number; reason: string }>;
  /** Bytes written to the TCP connection so far. */
  bytesWritten(): number;
}

/** A bare WebSocket speaking engine.io and socket.io by hand; resolves after the engine.io open packet. */
async function rawAgent(hub: RunningHub, cleanup: Cleanup): Promise<RawClient> {
  const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: DEFLATE_OFFER });
  cleanup.add(() => ws.terminate());
  ws.on('error', () => undefined);
  let extensions = '';
  ws.once('upgrade', (response) => {
    extensions = String(response.headers['sec-websocket-extensions'] ?? '');
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', () => reject(new Error('closed before the engine.io open packet')));
  });
  return { ws, extensions, closed, bytesWritten: () => (ws as unknown as { _socket: { bytesWritten: number } })._socket.bytesWritten };
}

describe('AgentIoAdapter per-message deflate', () => {
  const cleanup = new Cleanup();
  let logs: CapturingLogger;

  beforeEach(() => {
    logs = new CapturingLogger();
  });

  afterEach(() => cleanup.run());

  it('should negotiate deflate without context takeover either way and with the window the client asked for', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });
    const client = await rawAgent(hub, cleanup);

    const params = client.extensions.split(';').map((param) => param.trim());
    expect(params[0]).to.equal('permessage-deflate');
    expect(params).to.include.members(['client_no_context_takeover', 'server_no_context_takeover', 'client_max_window_bits=9']);
  });

  it('should ack a snapshot above the compression threshold, which socket.io-client sends deflated', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    expect(await send(agent, 'facts', validFacts())).to.deep.equal({ ok: true });
    // Far above the threshold, so socket.io-client's WebSocket sends it compressed.
    const snapshot = validSnapshot({ hostId: 'web-01' });
    expect(Buffer.byteLength(JSON.stringify(snapshot))).to.be.above(1024);

    expect(await send(agent, 'snapshot', snapshot)).to.deep.equal({ ok: true });
  });

  it('should close a connection whose small deflated frame inflates beyond the message limit, and stay up', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN }, logs);
    const bomber = await rawAgent(hub, cleanup);
    bomber.ws.send(`40${AGENT_NAMESPACE},${JSON.stringify(validAuth(TOKEN, { hostId: 'bomber' }))}`);
    await new Promise<void>((resolve) => bomber.ws.once('message', () => resolve()));
    const before = bomber.bytesWritten();

    // 64 MiB of one repeated character: a socket.io event that deflates to well under 1 % of that.
    const inflated = 64 * 1024 * 1024;
    bomber.ws.send(`42${AGENT_NAMESPACE},["snapshot","${'x'.repeat(inflated)}"]`, { compress: true });
    const closed = await bomber.closed;
    const sent = bomber.bytesWritten() - before;

    expect(sent, 'bytes the bomb took on the wire').to.be.below(LIMITS.maxMessageBytes / 4);
    // 1009: the message is too big to process (RFC 6455), which ws says once the inflated bytes pass maxPayload.
    expect(closed.code).to.equal(1009);
    expect(logs.messages('warn').join('\n')).to.match(/Closed a connection from \S+: transport error/);
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'after-bomb' }), cleanup);
    expect(await send(agent, 'facts', validFacts())).to.deep.equal({ ok: true });
  });
});
