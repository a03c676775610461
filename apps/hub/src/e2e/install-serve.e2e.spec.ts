import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as path from 'node:path';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import { Cleanup, makeTempDir, startTestHub } from './e2e.helpers';

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
});
