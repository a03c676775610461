import * as http from 'node:http';
import { AGENT_NAMESPACE, LIVE_NAMESPACE } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { io } from 'socket.io-client';
import type { HubConfig } from '../core/hub-config';
import { startHub, type RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { CookieClient } from './cookie-client';
import { Cleanup, connectAgent, makeTempDir, send } from './e2e.helpers';
import { HostClient, upgradeStatus } from './host-client';

const TOKEN = 'e2e-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const PUBLIC_URL = 'https://hub.example.com';

/**
 * A socket.io client on a page of `host` (its Host and Origin), reaching the
 * hub through 127.0.0.1: 'connected', the refusal's code, or the transport's error.
 */
function openSocket(
  port: number,
  namespace: string,
  host: string,
  cleanup: Cleanup,
  options: { origin?: string; cookie?: string; auth?: object } = {},
): Promise<string> {
  const extraHeaders: Record<string, string> = { host, origin: options.origin ?? `http://${host}` };
  if (options.cookie) extraHeaders['cookie'] = options.cookie;
  const socket = io(`http://127.0.0.1:${port}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5000,
    extraHeaders,
    auth: options.auth,
  });
  cleanup.add(() => void socket.disconnect());
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? `error: ${error.message}`));
  });
}

/** The status of socket.io's first polling request (the engine.io handshake) sent with this Host. */
function pollingStatus(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers: { host }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
}

describe('Host and Origin checks against DNS rebinding (e2e)', function () {
  this.timeout(30_000);
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  async function start(overrides: Partial<HubConfig>, logger: CapturingLogger | false = false): Promise<RunningHub> {
    const dataDir = await makeTempDir(cleanup);
    const hub = await startHub({ port: 0, host: '127.0.0.1', dataDir, agentToken: TOKEN, singleHost: false, ...overrides }, { logger });
    cleanup.add(() => hub.close());
    return hub;
  }

  async function withHost(hub: RunningHub, hostId = 'web-01'): Promise<void> {
    const agent = await connectAgent(`http://127.0.0.1:${hub.port}`, validAuth(TOKEN, { hostId }), cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: `${hostId}.example` }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', validSnapshot({ hostId, seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
  }

  /** The status of GET /api/hosts/web-01 from this machine, signed in where the hub needs it. */
  async function hostStatus(hub: RunningHub, signIn = false): Promise<number> {
    const client = new HostClient(hub.port, `127.0.0.1:${hub.port}`);
    if (signIn) expect((await client.signIn(PASSWORD)).status).to.equal(303);
    return (await client.request('/api/hosts/web-01')).status;
  }

  describe('bound to loopback', () => {
    it('should refuse pages, static files, the API, sign-in and changes asked for under another name with 421, and log it', async () => {
      const logger = new CapturingLogger();
      const hub = await start({}, logger);
      await withHost(hub);
      const rebound = new HostClient(hub.port, `evil.example:${hub.port}`);

      const page = await rebound.request('/');
      expect(page.status).to.equal(421);
      expect(JSON.parse(page.text)).to.include({ statusCode: 421, error: 'Misdirected Request' });
      expect(page.text).to.contain('DNS rebinding').and.contain('--allowed-hosts').and.not.contain('web-01').and.not.contain('csrf');
      for (const path of ['/api/hosts', '/api/hosts/web-01', '/hosts/web-01', '/static/style.css', '/healthz']) {
        expect((await rebound.request(path)).status, path).to.equal(421);
      }
      expect((await rebound.request('/api/hosts/web-01', { method: 'DELETE' })).status).to.equal(421);
      expect((await rebound.request('/login', { form: { password: PASSWORD } })).status).to.equal(421);
      expect((await rebound.request('/', { headers: { host: `evil.example` } })).status, 'without a port').to.equal(421);
      expect(await hostStatus(hub)).to.equal(200);
      expect(
        logger.messages('warn').some((line) => line.startsWith('Refused DELETE /api/hosts/web-01 from 127.0.0.1: ') && line.includes('evil.example')),
      ).to.equal(true);
    });

    it('should refuse socket.io under another name: the polling handshake, the WebSocket upgrade, /live and /agent', async () => {
      const hub = await start({});
      const foreign = `evil.example:${hub.port}`;

      expect(await pollingStatus(hub.port, foreign)).to.equal(421);
      expect(await upgradeStatus(hub.port, foreign, '/socket.io/?EIO=4&transport=websocket')).to.equal(421);
      expect(await openSocket(hub.port, LIVE_NAMESPACE, foreign, cleanup)).to.equal('error: websocket error');
      expect(await openSocket(hub.port, AGENT_NAMESPACE, foreign, cleanup, { auth: validAuth(TOKEN, { hostId: 'web-02' }) })).to.equal(
        'error: websocket error',
      );

      const own = `localhost:${hub.port}`;
      expect(await pollingStatus(hub.port, own)).to.equal(200);
      expect(await upgradeStatus(hub.port, own, '/socket.io/?EIO=4&transport=websocket')).to.equal(101);
      expect(await openSocket(hub.port, LIVE_NAMESPACE, own, cleanup)).to.equal('connected');
      expect(await openSocket(hub.port, AGENT_NAMESPACE, own, cleanup, { auth: validAuth(TOKEN, { hostId: 'web-02' }) })).to.equal('connected');
    });

    it('should serve localhost, 127.0.0.0/8 and [::1] on any port, and take changes from their own pages only', async () => {
      const hub = await start({});
      await withHost(hub);
      for (const host of [`localhost:${hub.port}`, `127.0.0.1:${hub.port}`, `[::1]:${hub.port}`, '127.8.9.10:8080', 'localhost', 'LOCALHOST:1']) {
        const client = new HostClient(hub.port, host);
        expect((await client.request('/')).status, host).to.equal(200);
        expect((await client.request('/api/hosts')).status, host).to.equal(200);
      }
      expect(await openSocket(hub.port, LIVE_NAMESPACE, `[::1]:${hub.port}`, cleanup)).to.equal('connected');

      const client = new HostClient(hub.port, `[::1]:${hub.port}`);
      const token = CookieClient.csrfTokenIn((await client.request('/')).text);
      const foreign = await client.request('/api/hosts/web-01', {
        method: 'DELETE',
        origin: `http://evil.example:${hub.port}`,
        headers: { 'x-csrf-token': token },
      });
      expect(foreign.status).to.equal(403);
      const otherPort = await client.request('/api/hosts/web-01', {
        method: 'DELETE',
        origin: `http://localhost:${hub.port + 1}`,
        headers: { 'x-csrf-token': token },
      });
      expect(otherPort.status, 'another local server is another site').to.equal(403);
      expect((await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token } })).status).to.equal(204);
      expect(await hostStatus(hub)).to.equal(404);
    });
  });

  describe('bound elsewhere, with --public-url and --allowed-hosts', () => {
    const listed = { host: '0.0.0.0', adminPassword: PASSWORD, publicUrl: [PUBLIC_URL], allowedHosts: ['hub.lan'] };

    it('should refuse every other name: pages, the API, sign-in, changes, polling and both namespaces', async () => {
      const logger = new CapturingLogger();
      const hub = await start(listed, logger);
      await withHost(hub);
      const rebound = new HostClient(hub.port, `evil.example:${hub.port}`);

      for (const path of ['/', '/login', '/api/hosts', '/static/style.css']) {
        const answer = await rebound.request(path);
        expect(answer.status, path).to.equal(421);
        expect(answer.text, path).to.contain('hub.example.com').and.contain('hub.lan');
      }
      expect((await rebound.request('/login', { form: { password: PASSWORD } })).status).to.equal(421);
      expect((await rebound.request('/api/hosts/web-01', { method: 'DELETE' })).status).to.equal(421);
      expect(await pollingStatus(hub.port, rebound.host)).to.equal(421);
      expect(await openSocket(hub.port, LIVE_NAMESPACE, rebound.host, cleanup)).to.equal('error: websocket error');
      expect(await openSocket(hub.port, AGENT_NAMESPACE, rebound.host, cleanup, { auth: validAuth(TOKEN, { hostId: 'web-02' }) })).to.equal(
        'error: websocket error',
      );
      expect(await hostStatus(hub, true)).to.equal(200);
      expect(logger.messages('log').some((line) => line.startsWith('Answering only to localhost, 127.0.0.1, [::1], hub.example.com, hub.lan'))).to.equal(true);
    });

    it('should serve its public URL, its other names and loopback, and take sign-in, changes and live sockets from their pages only', async () => {
      const hub = await start(listed);
      await withHost(hub);
      expect((await new HostClient(hub.port, `hub.lan:${hub.port}`).request('/login')).status).to.equal(200);
      expect(await openSocket(hub.port, AGENT_NAMESPACE, `hub.lan:${hub.port}`, cleanup, { auth: validAuth(TOKEN, { hostId: 'web-02' }) })).to.equal(
        'connected',
      );

      // A TLS proxy passes Host through; the browser's Origin is the public URL.
      const proxied = new HostClient(hub.port, 'hub.example.com', PUBLIC_URL);
      expect((await proxied.signIn(PASSWORD)).status).to.equal(303);
      const token = CookieClient.csrfTokenIn((await proxied.request('/')).text);
      const cookie = proxied.cookieHeader();
      expect(await openSocket(hub.port, LIVE_NAMESPACE, 'hub.example.com', cleanup, { origin: PUBLIC_URL, cookie })).to.equal('connected');
      expect(await openSocket(hub.port, LIVE_NAMESPACE, 'hub.example.com', cleanup, { origin: 'http://evil.example', cookie })).to.equal('forbidden-origin');
      expect(
        await openSocket(hub.port, LIVE_NAMESPACE, 'hub.example.com', cleanup, { origin: `http://127.0.0.1:${hub.port}`, cookie }),
        'a loopback page of another host',
      ).to.equal('forbidden-origin');
      for (const origin of ['http://evil.example', 'http://hub.example.com.evil.example', 'null']) {
        const refused = await proxied.request('/api/hosts/web-01', { method: 'DELETE', origin, headers: { 'x-csrf-token': token } });
        expect(refused.status, origin).to.equal(403);
      }
      expect((await proxied.request('/api/hosts/web-01')).status).to.equal(200);

      // A proxy that sends its own upstream name (nginx's default Host): the Origin is compared with the list, not with Host.
      const rewritten = new HostClient(hub.port, `127.0.0.1:${hub.port}`, PUBLIC_URL);
      expect((await rewritten.signIn(PASSWORD)).status).to.equal(303);
      const rewrittenToken = CookieClient.csrfTokenIn((await rewritten.request('/')).text);
      expect((await rewritten.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': rewrittenToken } })).status).to.equal(204);
      expect((await rewritten.request('/api/hosts/web-01')).status).to.equal(404);
    });
  });

  describe('bound elsewhere, without a list', () => {
    it('should answer any name behind sign-in, as before, and say so when it starts', async () => {
      const logger = new CapturingLogger();
      const hub = await start({ host: '0.0.0.0', adminPassword: PASSWORD }, logger);
      const other = new HostClient(hub.port, `hub.anywhere:${hub.port}`);

      expect((await other.request('/api/hosts')).status).to.equal(401);
      expect((await other.request('/login')).status).to.equal(200);
      expect((await other.signIn(PASSWORD)).status).to.equal(303);
      expect((await other.request('/api/hosts')).status).to.equal(200);
      const warnings = logger.messages('warn').filter((line) => line.startsWith('Answering to any host name'));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('sign-in').and.contain('DNS rebinding');
    });
  });
});
