import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Server } from 'socket.io';
import { AGENT_NAMESPACE, PROTOCOL_VERSION } from '@hostwatch/protocol';
import { waitFor } from '../testing/deferred';
import { MemoryLogger } from '../testing/memory-logger';
import { systemTimers } from '../time/timers';
import { SocketHubLink, type HandshakeRefusal } from './hub-link';
import { tlsTrust } from './tls-trust';

const run = promisify(execFile);

interface Pem {
  cert: string;
  key: string;
}

async function selfSigned(dir: string, name: string): Promise<Pem> {
  const cert = path.join(dir, `${name}.cert.pem`);
  const key = path.join(dir, `${name}.key.pem`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-days',
    '1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert: await fs.readFile(cert, 'utf8'), key: await fs.readFile(key, 'utf8') };
}

describe('SocketHubLink against an https hub', function () {
  this.timeout(20_000);
  let dir: string;
  let trusted: Pem;
  let stranger: Pem;
  let https: HttpsServer;
  let io: Server;
  let url: string;
  let logger: MemoryLogger;
  let link: SocketHubLink | null;

  before(async function () {
    try {
      await run('openssl', ['version']);
    } catch {
      console.log('    skipped: the openssl command is not installed, and Node cannot issue a certificate without it');
      this.skip();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-agent-tls-'));
    trusted = await selfSigned(dir, 'trusted');
    stranger = await selfSigned(dir, 'stranger');
  });

  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    logger = new MemoryLogger();
    link = null;
    https = createServer({ cert: trusted.cert, key: trusted.key });
    io = new Server(https);
    io.of(AGENT_NAMESPACE);
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    link?.close();
    io.of(AGENT_NAMESPACE).disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    https.closeAllConnections();
  });

  function open(caPem: string | null) {
    const seen = { connects: 0, refusals: [] as HandshakeRefusal[] };
    link = new SocketHubLink({
      hubUrl: url,
      auth: { token: 't', hostId: 'web-01', protocolVersion: PROTOCOL_VERSION, intervalMs: 5000 },
      logger,
      timers: systemTimers,
      tls: tlsTrust({ caPem, insecure: false }),
      reconnectionDelayMs: 50,
      reconnectionDelayMaxMs: 200,
    });
    link.open({ connected: () => (seen.connects += 1), disconnected: () => undefined, refused: (refusal) => seen.refusals.push(refusal) });
    return seen;
  }

  it('should refuse for good a certificate it never accepted, naming the cause', async () => {
    const seen = open(null);

    await waitFor(() => seen.refusals.length === 1, 'a refusal');

    expect(seen.refusals[0]).to.deep.include({ code: 'UNTRUSTED_CERTIFICATE' });
    expect(seen.refusals[0]!.message).to.contain("the hub's certificate is not trusted (self-signed certificate)");
    expect(seen.connects).to.equal(0);
  });

  it('should connect with the certificate given as CA', async () => {
    const seen = open(trusted.cert);

    await waitFor(() => seen.connects === 1, 'a connect');

    expect(link?.isConnected()).to.equal(true);
    expect(seen.refusals).to.deep.equal([]);
  });

  it('should keep retrying, logging the cause, when the certificate changes after it was accepted, and reconnect once it is back', async () => {
    const seen = open(trusted.cert);
    await waitFor(() => seen.connects === 1, 'a connect');

    https.setSecureContext({ cert: stranger.cert, key: stranger.key });
    io.of(AGENT_NAMESPACE).disconnectSockets(true);
    https.closeAllConnections();
    // Twice: one failure is a retry, not yet a loop of them.
    const untrusted = () =>
      logger.messages('error').filter((message) => message.includes("the hub's certificate is not trusted") && message.endsWith('; retrying'));
    await waitFor(() => untrusted().length >= 2, 'two logged certificate errors', 10_000);
    expect(seen.refusals).to.deep.equal([]);
    expect(link?.isConnected()).to.equal(false);

    https.setSecureContext({ cert: trusted.cert, key: trusted.key });

    await waitFor(() => seen.connects === 2, 'a reconnect', 10_000);
    expect(seen.refusals).to.deep.equal([]);
  });
});
