import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import { CookieClient } from './cookie-client';
import { Cleanup, connectAgent, makeTempDir, send, startTestHub, type ConnectError } from './e2e.helpers';

const TOKEN = 'install-e2e-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const SCRIPT = '#!/bin/sh\necho installing\n';
const BUNDLE = '#!/usr/bin/env -S node --jitless\nconsole.log("agent");\n';

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** A GET sent exactly as written (no URL normalising, unlike fetch), with the given Host. */
function get(port: number, rawPath: string, host = `127.0.0.1:${port}`): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: rawPath, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
  });
}

/** A release as the agent's build writes it: the bundle, install.sh and a manifest with the bundle's SHA-256; a secret beside it. */
/** Undoes Handlebars' escaping of text in a page. */
function unescapeHtml(text: string): string {
  return text.replace(
    /&(#x27|#x3D|#x60|quot|lt|gt|amp);/g,
    (_, name: string) => ({ '#x27': "'", '#x3D': '=', '#x60': '`', quot: '"', lt: '<', gt: '>', amp: '&' })[name] ?? '',
  );
}

/** The text of the element with this data attribute in a page. */
function textOf(html: string, attribute: string): string {
  const match = new RegExp(`<code ${attribute}>([^<]*)</code>`).exec(html);
  if (!match?.[1]) throw new Error(`no ${attribute} in the page:\n${html.slice(0, 3000)}`);
  return unescapeHtml(match[1]);
}

async function writeRelease(root: string, version = '0.2.0'): Promise<string> {
  const dir = path.join(root, 'release');
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'install.sh'), SCRIPT);
  await fs.writeFile(path.join(dir, 'hostwatch-agent.js'), BUNDLE);
  await fs.writeFile(path.join(dir, 'unlisted.txt'), 'not in the manifest\n');
  await fs.writeFile(path.join(root, 'secret'), 'outside the release\n');
  const sha256 = createHash('sha256').update(BUNDLE).digest('hex');
  const manifest = { version, artifacts: [{ file: 'hostwatch-agent.js', kind: 'bundle', arch: 'any', sha256, bytes: Buffer.byteLength(BUNDLE) }] };
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('the agent release under /install (e2e)', function () {
  this.timeout(30_000);
  let cleanup: Cleanup;

  beforeEach(() => (cleanup = new Cleanup()));
  afterEach(() => cleanup.run());

  async function start(config: Partial<HubConfig>): Promise<number> {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN, ...config });
    return hub.port;
  }

  it('should serve the script, the manifest and the artifact without sign-in on a hub that needs one', async () => {
    const agentRelease = await writeRelease(await makeTempDir(cleanup));
    const port = await start({ agentRelease, host: '0.0.0.0', adminPassword: PASSWORD });

    const page = await get(port, '/');
    const script = await get(port, '/install/agent.sh');
    const manifest = await get(port, '/install/manifest.json');
    const bundle = await get(port, '/install/hostwatch-agent.js');

    expect(page.status, 'pages still need sign-in').to.equal(303);
    expect([script.status, script.type, script.body]).to.deep.equal([200, 'text/x-shellscript; charset=utf-8', SCRIPT]);
    expect(manifest.status).to.equal(200);
    expect(manifest.type).to.match(/^application\/json/);
    expect((JSON.parse(manifest.body) as { version: string }).version).to.equal('0.2.0');
    expect([bundle.status, bundle.type, bundle.body]).to.deep.equal([200, 'application/octet-stream', BUNDLE]);
  });

  it('should answer 404 to a name the manifest does not list and to every way out of the release', async () => {
    const agentRelease = await writeRelease(await makeTempDir(cleanup));
    const port = await start({ agentRelease });

    for (const rawPath of [
      '/install/install.sh',
      '/install/unlisted.txt',
      '/install/..%2Fsecret',
      '/install/%2e%2e%2fsecret',
      '/install/..%5csecret',
      '/install/../secret',
      '/install/release/..%2F..%2Fsecret',
      '/install/',
      '/install/%2Fetc%2Fpasswd',
    ]) {
      const answer = await get(port, rawPath);
      expect(answer.status, rawPath).to.equal(404);
      expect(answer.body, rawPath).to.not.contain('outside the release').and.not.contain('not in the manifest');
    }
    const unlisted = await get(port, '/install/unlisted.txt');
    expect(JSON.parse(unlisted.body)).to.have.property('message').that.contains('agent.sh, manifest.json and the files manifest.json lists');
  });

  it('should say how to build the release where none is built', async () => {
    const port = await start({ agentRelease: path.join(await makeTempDir(cleanup), 'no-release') });

    for (const name of ['agent.sh', 'manifest.json', 'hostwatch-agent.js']) {
      const answer = await get(port, `/install/${name}`);
      expect(answer.status, name).to.equal(404);
      expect(JSON.parse(answer.body), name).to.have.property('message').that.contains('npm run build');
    }
  });

  it('should keep the Host check in front of it', async () => {
    const agentRelease = await writeRelease(await makeTempDir(cleanup));
    const port = await start({ agentRelease });

    expect((await get(port, '/install/agent.sh', 'evil.example')).status).to.equal(421);
    expect((await get(port, '/install/agent.sh', `localhost:${port}`)).status).to.equal(200);
  });

  describe('Add a host', () => {
    async function signedIn(config: Partial<HubConfig> = {}): Promise<{ port: number; url: string; client: CookieClient }> {
      const agentRelease = await writeRelease(await makeTempDir(cleanup));
      const port = await start({ agentRelease, host: '0.0.0.0', adminPassword: PASSWORD, ...config });
      const url = `http://127.0.0.1:${port}`;
      const client = new CookieClient(url);
      expect((await client.signIn(PASSWORD)).status).to.equal(303);
      return { port, url, client };
    }

    it('should issue a token for one host id, shown once with the one line, that admits an agent for that id only', async () => {
      const { port, url, client } = await signedIn();

      const list = await client.request('/');
      expect(list.text).to.contain('href="/add-host"');
      const form = await client.request('/add-host');
      expect(form.status).to.equal(200);
      const added = await client.request('/add-host', { form: { _csrf: CookieClient.csrfTokenIn(form.text), hostId: 'db-07', note: 'rack 4' } });

      expect(added.status).to.equal(200);
      expect(added.headers.get('cache-control')).to.equal('no-store');
      expect(added.text).to.contain('shown only this once').and.contain('rack 4');
      const token = textOf(added.text, 'data-token');
      expect(textOf(added.text, 'data-install-command')).to.equal(
        `curl -fsSL http://127.0.0.1:${port}/install/agent.sh | sudo sh -s -- --hub http://127.0.0.1:${port} --host-id db-07 --token ${token}`,
      );

      const agent = await connectAgent(url, validAuth(token, { hostId: 'db-07' }), cleanup);
      expect(await send(agent, 'facts', validFacts({ hostname: 'db-07.example' }))).to.deep.equal({ ok: true });
      expect(await send(agent, 'snapshot', validSnapshot({ hostId: 'db-07', seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
      const refused = await connectAgent(url, validAuth(token, { hostId: 'web-01' }), cleanup).then(
        () => 'connected',
        (error: ConnectError) => error.data?.code ?? error.message,
      );
      expect(refused).to.equal('UNAUTHORIZED');
    });

    it('should refuse a post without sign-in or without the CSRF token, and a host id the protocol refuses', async () => {
      const { url, client } = await signedIn({ publicDashboard: true });

      const stranger = new CookieClient(url);
      const strangerForm = await stranger.request('/add-host');
      expect(strangerForm.status, 'a public dashboard shows the page').to.equal(200);
      expect(strangerForm.text).to.contain('sign in').and.not.contain('name="hostId"');
      expect((await stranger.request('/')).text).to.not.contain('href="/add-host"');
      expect((await stranger.request('/add-host', { form: { _csrf: CookieClient.csrfTokenIn(strangerForm.text), hostId: 'db-07' } })).status).to.equal(401);
      expect((await client.request('/add-host', { form: { hostId: 'db-07' } })).status).to.equal(403);

      const bad = await client.request('/add-host', { form: { _csrf: await client.csrfToken('/add-host'), hostId: '<b>x</b>' } });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.contain('Not added: hostId:').and.contain('value="&lt;b&gt;x&lt;/b&gt;"').and.not.contain('<b>x</b>');
      expect(bad.text).to.not.contain('data-token');
    });

    it('should mark an agent older than the release, and offer the line that upgrades it keeping its token', async () => {
      const { port, url, client } = await signedIn();
      const old = await connectAgent(url, validAuth(TOKEN, { hostId: 'old-1', agentVersion: '0.1.9' }), cleanup);
      expect(await send(old, 'snapshot', validSnapshot({ hostId: 'old-1', seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });
      const current = await connectAgent(url, validAuth(TOKEN, { hostId: 'new-1', agentVersion: '0.2.0' }), cleanup);
      expect(await send(current, 'snapshot', validSnapshot({ hostId: 'new-1', seq: 1, ts: Date.now() }))).to.deep.equal({ ok: true });

      const list = await client.request('/');
      expect(list.text).to.contain('agent 0.1.9, older than 0.2.0').and.not.contain('agent 0.2.0');
      const oldPage = await client.request('/hosts/old-1');
      expect(oldPage.text).to.contain('older than 0.2.0');
      expect(textOf(oldPage.text, 'data-upgrade-command')).to.equal(
        `curl -fsSL http://127.0.0.1:${port}/install/agent.sh | sudo sh -s -- --hub http://127.0.0.1:${port}`,
      );
      expect((await client.request('/hosts/new-1')).text).to.not.contain('data-upgrade-command');
    });
  });
});
