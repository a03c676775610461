import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { LIVE_NAMESPACE } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { io } from 'socket.io-client';
import type { HubConfig } from '../core/hub-config';
import { startHub, type RunningHub } from '../hub';
import { ADMIN_PASSWORD_FILE } from '../access/admin-password.repository';
import { CapturingLogger } from '../testing/capturing-logger';
import { CookieClient } from './cookie-client';
import { Cleanup, connectAgent, makeTempDir, send } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const FOREIGN = 'http://evil.example';

interface Hub {
  running: RunningHub;
  /** Reached through loopback, whatever address the hub is bound to. */
  url: string;
}

/** The refusal a live socket gets, or 'connected'. */
function openLive(url: string, cleanup: Cleanup, headers: Record<string, string>): Promise<string> {
  const socket = io(`${url}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000, extraHeaders: headers });
  cleanup.add(() => void socket.disconnect());
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? `error: ${error.message}`));
  });
}

describe('dashboard and API access (e2e)', function () {
  this.timeout(30_000);
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  async function start(overrides: Partial<HubConfig> = {}, logger: CapturingLogger | false = false): Promise<Hub> {
    const dataDir = overrides.dataDir ?? (await makeTempDir(cleanup));
    const config: HubConfig = { port: 0, host: '0.0.0.0', dataDir, agentToken: TOKEN, singleHost: false, adminPassword: PASSWORD, ...overrides };
    const running = await startHub(config, { logger });
    cleanup.add(() => running.close());
    return { running, url: `http://127.0.0.1:${running.port}` };
  }

  async function withHost(hub: Hub, hostId = 'web-01'): Promise<void> {
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId }), cleanup);
    expect(await send(agent, 'facts', validFacts({ hostname: `${hostId}.example` }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', validSnapshot({ hostId, seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
  }

  describe('bound to every interface', () => {
    it('should send pages to the sign-in page and answer the API with 401 before sign-in', async () => {
      const hub = await start();
      await withHost(hub);
      const client = new CookieClient(hub.url);

      const list = await client.request('/');
      expect(list.status).to.equal(303);
      expect(list.headers.get('location')).to.equal('/login?next=%2F');
      const host = await client.request('/hosts/web-01?x=1');
      expect(host.headers.get('location')).to.equal('/login?next=%2Fhosts%2Fweb-01%3Fx%3D1');
      expect(host.text).to.not.contain('web-01.example');

      for (const api of ['/api/hosts', '/api/hosts/web-01', '/api/hosts/web-01/history?metric=cpu']) {
        const answer = await client.request(api);
        expect(answer.status, api).to.equal(401);
        expect(JSON.parse(answer.text)).to.include({ statusCode: 401 }).and.have.property('message').that.contains('Sign in');
      }
      const login = await client.request('/login');
      expect(login.status).to.equal(200);
      expect(login.text).to.contain('<form').and.contain('type="password"').and.not.contain('web-01');
      expect((await client.request('/healthz')).status).to.equal(200);
    });

    it('should refuse a wrong password and let the right one in with an HttpOnly, SameSite=Strict session cookie', async () => {
      const hub = await start();
      await withHost(hub);
      const client = new CookieClient(hub.url);

      const wrong = await client.signIn('not the password', '/hosts/web-01');
      expect(wrong.status).to.equal(401);
      expect(wrong.text).to.contain('Wrong password');
      expect(client.cookies.has('hostwatch.sid')).to.equal(false);
      expect((await client.request('/api/hosts')).status).to.equal(401);

      const right = await client.signIn(PASSWORD, '/hosts/web-01');
      expect(right.status).to.equal(303);
      expect(right.headers.get('location')).to.equal('/hosts/web-01');
      const cookie = right.setCookies.find((line) => line.startsWith('hostwatch.sid='));
      expect(cookie)
        .to.match(/; HttpOnly/i)
        .and.match(/; SameSite=Strict/i)
        .and.match(/; Max-Age=\d+|; Expires=/i)
        .and.not.match(/; Secure/i);

      const hosts = await client.request('/api/hosts');
      expect(hosts.status).to.equal(200);
      expect((JSON.parse(hosts.text) as Array<{ hostId: string }>).map((h) => h.hostId)).to.deep.equal(['web-01']);
      const page = await client.request('/hosts/web-01');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('web-01.example').and.contain('Sign out').and.contain('Forget this host');
    });

    it('should give a new session id at sign-in and end the session at sign-out', async () => {
      const hub = await start();
      const client = new CookieClient(hub.url);
      await client.signIn(PASSWORD);
      const first = client.cookies.get('hostwatch.sid');
      const again = await client.request('/login', { form: { _csrf: await client.csrfToken(), password: PASSWORD } });
      expect(again.status).to.equal(303);
      expect(client.cookies.get('hostwatch.sid')).to.be.a('string').and.not.equal(first);

      const stolen = client.cookieHeader();
      const out = await client.request('/logout', { form: { _csrf: await client.csrfToken() } });
      expect(out.status).to.equal(303);
      expect(out.headers.get('location')).to.equal('/login');
      // The old cookie is worth nothing once signed out, even to someone who kept a copy.
      expect((await fetch(`${hub.url}/api/hosts`, { headers: { cookie: stolen } })).status).to.equal(401);
    });

    it('should never send a signed-in admin to another site', async () => {
      const hub = await start();
      for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', '/%2F%2Fevil.example', 'javascript:alert(1)']) {
        const client = new CookieClient(hub.url);
        const answer = await client.signIn(PASSWORD, next);
        expect(answer.status, next).to.equal(303);
        const location = answer.headers.get('location') ?? '';
        expect(new URL(location, hub.url).origin, `${next} -> ${location}`).to.equal(hub.url);
      }
    });

    it('should answer the sixth wrong password within a minute with 429 and Retry-After, even when the seventh is right', async () => {
      const hub = await start();
      const client = new CookieClient(hub.url);
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        expect((await client.signIn(`wrong-${attempt}`)).status, `attempt ${attempt}`).to.equal(401);
      }
      const limited = await client.signIn('wrong-6');
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
      expect(limited.text).to.contain('Too many failed sign-ins');
      expect((await client.signIn(PASSWORD)).status).to.equal(429);
      expect(client.cookies.has('hostwatch.sid')).to.equal(false);
    });

    it('should refuse a DELETE without CSRF proof or from a foreign Origin with 403, and carry out one with both', async () => {
      const hub = await start();
      await withHost(hub);
      const client = new CookieClient(hub.url);
      await client.signIn(PASSWORD);
      const token = await client.csrfToken();

      const noToken = await client.request('/api/hosts/web-01', { method: 'DELETE' });
      expect(noToken.status).to.equal(403);
      expect(JSON.parse(noToken.text)).to.include({ statusCode: 403 }).and.have.property('message').that.contains('CSRF');
      const wrongToken = await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': `${token.slice(1)}x` } });
      expect(wrongToken.status).to.equal(403);
      const foreign = await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token, origin: FOREIGN } });
      expect(foreign.status).to.equal(403);
      expect(foreign.text).to.contain('evil.example');
      const noOrigin = await client.request('/api/hosts/web-01', { method: 'DELETE', sameOrigin: false, headers: { 'x-csrf-token': token } });
      expect(noOrigin.status).to.equal(403);
      const foreignReferer = await client.request('/api/hosts/web-01', {
        method: 'DELETE',
        sameOrigin: false,
        headers: { 'x-csrf-token': token, referer: `${FOREIGN}/page` },
      });
      expect(foreignReferer.status).to.equal(403);
      expect((await client.request('/api/hosts/web-01')).status, 'still there after the refusals').to.equal(200);

      const proper = await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token } });
      expect(proper.status).to.equal(204);
      expect((await client.request('/api/hosts/web-01')).status).to.equal(404);
    });

    it('should forget a host through the host page form, with the token of that page', async () => {
      const hub = await start();
      await withHost(hub);
      const client = new CookieClient(hub.url);
      await client.signIn(PASSWORD);
      const page = await client.request('/hosts/web-01');
      const forged = await client.request('/hosts/forget', { form: { hostId: 'web-01' } });
      expect(forged.status).to.equal(403);

      const forget = await client.request('/hosts/forget', { form: { _csrf: CookieClient.csrfTokenIn(page.text), hostId: 'web-01' } });
      expect(forget.status).to.equal(303);
      expect(forget.headers.get('location')).to.equal('/');
      expect((await client.request('/api/hosts/web-01')).status).to.equal(404);
    });

    it('should refuse a live socket from a foreign Origin, or without the session, and accept one with it', async () => {
      const hub = await start();
      const client = new CookieClient(hub.url);
      const own = new URL(hub.url).origin;

      expect(await openLive(hub.url, cleanup, { origin: FOREIGN })).to.equal('forbidden-origin');
      expect(await openLive(hub.url, cleanup, { origin: own })).to.equal('unauthorized');
      expect(await openLive(hub.url, cleanup, {}), 'no Origin at all where sign-in is needed').to.equal('forbidden-origin');

      await client.signIn(PASSWORD);
      expect(await openLive(hub.url, cleanup, { origin: FOREIGN, cookie: client.cookieHeader() }), 'a hijacking page sends the cookie too').to.equal(
        'forbidden-origin',
      );
      expect(await openLive(hub.url, cleanup, { origin: own, cookie: client.cookieHeader() })).to.equal('connected');
    });

    it('should close the live sockets of a session when it signs out', async () => {
      const hub = await start();
      const client = new CookieClient(hub.url);
      await client.signIn(PASSWORD);
      const socket = io(`${hub.url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { origin: new URL(hub.url).origin, cookie: client.cookieHeader() },
      });
      cleanup.add(() => void socket.disconnect());
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      await client.request('/logout', { form: { _csrf: await client.csrfToken() } });
      expect(await closed).to.equal('io server disconnect');
    });

    it('should send the security headers, with a CSP that allows no inline script and no framing', async () => {
      const hub = await start();
      const login = await new CookieClient(hub.url).request('/login');
      const csp = login.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name = '', ...values]) => [name, values]),
      );
      expect(directives.get('script-src')).to.deep.equal(["'self'"]);
      expect(directives.get('script-src-attr')).to.deep.equal(["'none'"]);
      expect(directives.get('style-src')).to.deep.equal(["'self'"]);
      expect(directives.get('frame-ancestors')).to.deep.equal(["'none'"]);
      expect(directives.get('object-src')).to.deep.equal(["'none'"]);
      expect(directives.get('connect-src')).to.include("'self'").and.include(`ws://127.0.0.1:${hub.running.port}`);
      expect(directives.has('upgrade-insecure-requests'), 'plain http must not upgrade its own assets').to.equal(false);
      expect(login.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(login.headers.get('x-frame-options')).to.equal('DENY');
      expect(login.headers.get('referrer-policy')).to.equal('same-origin');
      expect(login.headers.get('strict-transport-security'), 'HSTS only over TLS').to.equal(null);
      expect(login.headers.get('x-powered-by')).to.equal(null);
      const asset = await fetch(`${hub.url}/static/live.js`);
      expect(asset.status).to.equal(200);
      expect(asset.headers.get('x-content-type-options')).to.equal('nosniff');
    });
  });

  describe('the admin password', () => {
    it('should generate one on first start, show it once, keep only its scrypt hash with mode 0600, and accept it', async () => {
      const dataDir = await makeTempDir(cleanup);
      const logger = new CapturingLogger();
      const hub = await start({ dataDir, adminPassword: null }, logger);

      const shown = logger
        .messages()
        .map((line) => /Generated the admin password: (\S+)/.exec(line)?.[1])
        .filter((p) => p !== undefined);
      expect(shown).to.have.length(1);
      const password = shown[0]!;
      expect(password).to.have.length.of.at.least(20);
      expect(logger.messages().some((line) => line.includes('HOSTWATCH_ADMIN_PASSWORD') && line.includes('restart'))).to.equal(true);
      expect(logger.messages().some((line) => line.includes('Dashboard and API') && line.includes('0.0.0.0'))).to.equal(true);

      const file = path.join(dataDir, ADMIN_PASSWORD_FILE);
      const stat = await fs.stat(file);
      expect(stat.mode & 0o777).to.equal(0o600);
      const stored = (await fs.readFile(file, 'utf8')).trim();
      expect(stored).to.match(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(stored).to.not.contain(password);

      expect((await new CookieClient(hub.url).signIn(password)).status).to.equal(303);
      await hub.running.close();

      // A restart keeps the stored hash and shows no password again.
      const logger2 = new CapturingLogger();
      const second = await start({ dataDir, adminPassword: null }, logger2);
      expect(logger2.messages().some((line) => line.includes('Generated the admin password'))).to.equal(false);
      expect((await new CookieClient(second.url).signIn(password)).status).to.equal(303);
    });

    it('should replace the stored hash when HOSTWATCH_ADMIN_PASSWORD changes', async () => {
      const dataDir = await makeTempDir(cleanup);
      const first = await start({ dataDir, adminPassword: 'first-password' });
      await first.running.close();
      const before = await fs.readFile(path.join(dataDir, ADMIN_PASSWORD_FILE), 'utf8');

      const second = await start({ dataDir, adminPassword: 'second-password' });
      expect(await fs.readFile(path.join(dataDir, ADMIN_PASSWORD_FILE), 'utf8')).to.not.equal(before);
      expect((await new CookieClient(second.url).signIn('first-password')).status).to.equal(401);
      expect((await new CookieClient(second.url).signIn('second-password')).status).to.equal(303);
    });
  });

  describe('with --public-dashboard', () => {
    it('should show pages and the read API without sign-in, but still need it for a change', async () => {
      const hub = await start({ publicDashboard: true });
      await withHost(hub);
      const visitor = new CookieClient(hub.url);

      const list = await visitor.request('/');
      expect(list.status).to.equal(200);
      expect(list.text).to.contain('web-01.example').and.not.contain('Sign out');
      const page = await visitor.request('/hosts/web-01');
      expect(page.status).to.equal(200);
      expect(page.text).to.not.contain('Forget this host');
      expect((await visitor.request('/api/hosts')).status).to.equal(200);
      expect(await openLive(hub.url, cleanup, { origin: new URL(hub.url).origin })).to.equal('connected');
      expect(await openLive(hub.url, cleanup, { origin: FOREIGN })).to.equal('forbidden-origin');

      const token = CookieClient.csrfTokenIn(page.text);
      const denied = await visitor.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token } });
      expect(denied.status).to.equal(401);
      expect((await visitor.request('/api/hosts/web-01')).status).to.equal(200);

      const admin = new CookieClient(hub.url);
      await admin.signIn(PASSWORD);
      expect((await admin.request('/hosts/web-01')).text).to.contain('Forget this host');
      const deleted = await admin.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': await admin.csrfToken() } });
      expect(deleted.status).to.equal(204);
    });
  });

  describe('bound to loopback', () => {
    it('should show pages, the API and live updates without sign-in', async () => {
      const dataDir = await makeTempDir(cleanup);
      const hub = await start({ host: '127.0.0.1', adminPassword: null, dataDir });
      await withHost(hub);
      const client = new CookieClient(hub.url);
      expect((await client.request('/')).status).to.equal(200);
      expect((await client.request('/hosts/web-01')).text)
        .to.contain('Forget this host')
        .and.not.contain('Sign out');
      expect((await client.request('/api/hosts')).status).to.equal(200);
      expect((await client.request('/login')).status, 'nothing to sign in to').to.equal(303);
      expect(await openLive(hub.url, cleanup, {})).to.equal('connected');
      const files = await fs.readdir(dataDir);
      expect(files, 'no password where no one signs in').to.not.include(ADMIN_PASSWORD_FILE);
    });

    it('should still refuse a change from a foreign page or without a token, and a live socket from a foreign page', async () => {
      const hub = await start({ host: '127.0.0.1', adminPassword: null });
      await withHost(hub);
      const client = new CookieClient(hub.url);
      expect(await openLive(hub.url, cleanup, { origin: FOREIGN })).to.equal('forbidden-origin');

      const token = await client.csrfToken();
      expect((await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token, origin: FOREIGN } })).status).to.equal(403);
      expect((await client.request('/api/hosts/web-01', { method: 'DELETE' })).status, 'a browser request without a token').to.equal(403);
      expect((await client.request('/api/hosts/web-01', { method: 'DELETE', headers: { 'x-csrf-token': token } })).status).to.equal(204);
    });
  });
});
