import * as fs from 'node:fs/promises';
import * as https from 'node:https';
import * as path from 'node:path';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import type { HostDto } from '../hosts/host.dto';
import { startHub, type RunningHub } from '../hub';
import { Cleanup, eventually, makeTempDir, spawnNode } from './e2e.helpers';
import { hasOpenssl, makeSelfSignedCert, type CertFiles } from './self-signed-cert';
import { AGENT_MAIN } from './hub-process';

const TOKEN = 'tls-e2e-token-0123456789';
const HUB_MAIN = path.resolve(__dirname, '..', 'main.js');

/** GET over https trusting only the given CA; rejects on any TLS failure. */
function getJsonOverTls(url: string, ca: string): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, timeout: 5000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), headers: response.headers });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url}`)));
    request.on('error', reject);
  });
}

describe('TLS (e2e)', function () {
  // Real agents sample the real machine; on 2 shared cores that takes a while.
  this.timeout(60_000);
  let cleanup: Cleanup;
  let dir: string;
  let files: CertFiles;
  let ca: string;

  before(async function () {
    if (!(await hasOpenssl())) {
      console.log('    skipped: the openssl command is not installed, and Node cannot issue a certificate without it');
      this.skip();
    }
  });

  beforeEach(async () => {
    cleanup = new Cleanup();
    dir = await makeTempDir(cleanup);
    files = await makeSelfSignedCert(dir);
    ca = await fs.readFile(files.cert, 'utf8');
  });

  afterEach(() => cleanup.run());

  async function tlsHub(): Promise<RunningHub> {
    const config: HubConfig = {
      port: 0,
      host: '127.0.0.1',
      dataDir: path.join(dir, 'data'),
      agentToken: TOKEN,
      singleHost: false,
      tlsCert: files.cert,
      tlsKey: files.key,
    };
    const hub = await startHub(config, { logger: false });
    cleanup.add(() => hub.close());
    return hub;
  }

  function agent(hub: RunningHub, hostId: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
    return spawnNode(AGENT_MAIN, ['--hub', hub.url, '--host-id', hostId, '--interval', '0.5', ...extra], { HOSTWATCH_TOKEN: TOKEN, ...env }, cleanup);
  }

  async function hosts(hub: RunningHub): Promise<HostDto[]> {
    const { status, body } = await getJsonOverTls(`${hub.url}/api/hosts`, ca);
    expect(status).to.equal(200);
    return body as HostDto[];
  }

  it('should serve /healthz over https with its certificate, and nothing over plain http', async () => {
    const hub = await tlsHub();

    expect(hub.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await getJsonOverTls(`${hub.url}/healthz`, ca);
    expect(health.body).to.deep.include({ status: 'ok' });
    expect(health.headers['strict-transport-security']).to.match(/max-age=\d+/);
    const plain = await fetch(`http://127.0.0.1:${hub.port}/healthz`).then(
      (response) => `answered ${response.status}`,
      (error: unknown) => `failed: ${String(error)}`,
    );
    expect(plain).to.match(/^failed/);
  });

  it('should have a real agent without --ca refuse the self-signed certificate, exit 3 and say how to fix it', async () => {
    const hub = await tlsHub();

    const exit = await agent(hub, 'tls-untrusted').exited;

    expect(exit.code, exit.stderr).to.equal(3);
    expect(exit.stderr).to.contain(
      "the hub's certificate is not trusted (self-signed certificate): pass --ca FILE with the CA that signed it (or the hub's own certificate if self-signed), or --insecure to skip verification",
    );
    expect(await hosts(hub)).to.deep.equal([]);
  });

  it('should have a real agent trust the certificate given with --ca, or with HOSTWATCH_CA, and push over wss', async () => {
    const hub = await tlsHub();

    agent(hub, 'tls-ca-flag', ['--ca', files.cert]);
    agent(hub, 'tls-ca-env', [], { HOSTWATCH_CA: files.cert });

    await eventually(
      async () => {
        const list = await hosts(hub);
        expect(list.map((h) => [h.hostId, h.status])).to.deep.equal([
          ['tls-ca-env', 'online'],
          ['tls-ca-flag', 'online'],
        ]);
        for (const h of list) expect(h.metrics, h.hostId).to.not.equal(null);
      },
      40_000,
      200,
    );
  });

  it('should have a real agent with --insecure connect, after a loud warning', async () => {
    const hub = await tlsHub();

    const insecure = agent(hub, 'tls-insecure', ['--insecure']);

    await insecure.waitFor(/WARN.*--insecure: the hub's TLS certificate is NOT verified/);
    await eventually(async () => expect((await hosts(hub)).map((h) => h.status)).to.deep.equal(['online']), 40_000, 200);
  });

  it('should stop a real agent whose --ca file cannot be read with exit 2 naming the setting', async () => {
    const hub = await tlsHub();

    const exit = await agent(hub, 'tls-no-ca', ['--ca', path.join(dir, 'missing.pem')]).exited;

    expect(exit.code).to.equal(2);
    expect(exit.stderr).to.contain('--ca / HOSTWATCH_CA: cannot read').and.contain('missing.pem');
  });

  describe('hub process', () => {
    it('should log https URLs and serve https when started with --tls-cert and --tls-key', async () => {
      const hub = spawnNode(
        HUB_MAIN,
        ['--port', '0', '--host', '127.0.0.1', '--data-dir', path.join(dir, 'data'), '--agent-token', TOKEN],
        { HOSTWATCH_TLS_CERT: files.cert, HOSTWATCH_TLS_KEY: files.key },
        cleanup,
      );

      const [, url] = await hub.waitFor(/Dashboard at (https:\/\/127\.0\.0\.1:\d+)\//);

      await hub.waitFor(/npm run agent -- --hub https:\/\/127\.0\.0\.1:\d+ /);
      expect((await getJsonOverTls(`${url}/healthz`, ca)).body).to.deep.include({ status: 'ok' });
    });

    it('should exit 2 naming both settings when only the certificate is given', async () => {
      const exit = await spawnNode(HUB_MAIN, ['--tls-cert', files.cert], {}, cleanup).exited;

      expect(exit.code).to.equal(2);
      expect(exit.stderr).to.contain('TLS needs both --tls-cert and --tls-key').and.contain('--tls-key is missing');
    });

    it('should exit 1 naming the file when the certificate cannot be read', async () => {
      const missing = path.join(dir, 'nope.pem');

      const exit = await spawnNode(
        HUB_MAIN,
        ['--port', '0', '--host', '127.0.0.1', '--data-dir', path.join(dir, 'data'), '--tls-cert', missing, '--tls-key', files.key],
        {},
        cleanup,
      ).exited;

      expect(exit.code).to.equal(1);
      expect(exit.stdout + exit.stderr).to.contain(`cannot read the TLS certificate ${missing} given by --tls-cert`);
    });

    it('should exit 1 when the key does not belong to the certificate', async () => {
      const other = await makeSelfSignedCert(dir, 'other');

      const exit = await spawnNode(
        HUB_MAIN,
        ['--port', '0', '--host', '127.0.0.1', '--data-dir', path.join(dir, 'data'), '--tls-cert', files.cert, '--tls-key', other.key],
        {},
        cleanup,
      ).exited;

      expect(exit.code).to.equal(1);
      expect(exit.stdout + exit.stderr).to.contain('cannot be used together');
    });

    it('should have its single-host agent trust its self-signed certificate', async () => {
      const hub = spawnNode(
        HUB_MAIN,
        ['--single-host', '--port', '0', '--data-dir', path.join(dir, 'data'), '--tls-cert', files.cert, '--tls-key', files.key],
        {},
        cleanup,
      );
      // Asked to stop, the hub stops its agent too; a SIGKILL would leave that child running.
      cleanup.add(async () => {
        if (hub.child.exitCode === null && hub.child.signalCode === null) {
          hub.child.kill('SIGTERM');
          await hub.exited;
        }
      });
      const [, url] = await hub.waitFor(/Dashboard at (https:\/\/127\.0\.0\.1:\d+)\//);

      await eventually(
        async () => {
          const { body } = await getJsonOverTls(`${url}/api/hosts`, ca);
          expect((body as HostDto[]).map((h) => h.status)).to.deep.equal(['online']);
        },
        40_000,
        250,
      );
      expect(hub.output()).to.not.contain('certificate is not trusted');
    });
  });
});
