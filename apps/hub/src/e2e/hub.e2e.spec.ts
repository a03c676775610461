import { once } from 'node:events';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { LIMITS, type Snapshot } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import type { HostDto } from '../hosts/host.dto';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, eventually, getJson, makeTempDir, send, type ConnectError, startTestHub } from './e2e.helpers';

const TOKEN = 'e2e-token-0123456789';

describe('hub (e2e)', () => {
  let cleanup: Cleanup;
  let logs: CapturingLogger;

  beforeEach(() => {
    cleanup = new Cleanup();
    logs = new CapturingLogger();
  });

  afterEach(() => cleanup.run());

  async function start(overrides: Partial<HubConfig> = {}): Promise<RunningHub> {
    return startTestHub(cleanup, { agentToken: TOKEN, ...overrides }, logs);
  }

  async function hosts(hub: RunningHub): Promise<HostDto[]> {
    const { status, body } = await getJson(`${hub.url}/api/hosts`);
    expect(status).to.equal(200);
    return body as HostDto[];
  }

  async function connectError(hub: RunningHub, auth: Parameters<typeof connectAgent>[1]): Promise<ConnectError> {
    const outcome = await connectAgent(hub.url, auth, cleanup).then(
      () => null,
      (error: ConnectError) => error,
    );
    if (!outcome) throw new Error('expected the hub to refuse the handshake');
    return outcome;
  }

  it('should ack valid facts and snapshot and show the host in the API and on the pages', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

    expect(await send(agent, 'facts', validFacts({ hostname: 'web-01.example' }))).to.deep.equal({ ok: true });
    expect(await send(agent, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });

    const list = await hosts(hub);
    expect(list).to.have.length(1);
    expect(list[0]).to.include({ hostId: 'web-01', hostname: 'web-01.example', status: 'online', connected: true, intervalMs: 5000 });
    expect(list[0]?.lastSeen).to.be.a('number');
    expect(list[0]?.metrics).to.deep.equal(validSnapshot({ seq: 1 }));
    expect(list[0]?.facts).to.deep.equal(validFacts({ hostname: 'web-01.example' }));

    const one = await getJson(`${hub.url}/api/hosts/web-01`);
    expect(one.status).to.equal(200);
    expect(one.body).to.deep.equal(list[0]);

    const page = await fetch(`${hub.url}/`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(await page.text()).to.contain('web-01.example');

    const detail = await fetch(`${hub.url}/hosts/web-01`);
    expect(detail.status).to.equal(200);
    expect(await detail.text()).to.contain('web-01.example');
  });

  it("should say in Server-Timing how long the hub took to render each page, and not on the API's answers", async () => {
    const hub = await start();

    for (const url of [`${hub.url}/`, `${hub.url}/hosts/nope`]) {
      const page = await fetch(url);
      await page.text();
      expect(page.headers.get('server-timing'), url).to.match(/^page;dur=\d+(\.\d)?$/);
    }
    const api = await fetch(`${hub.url}/api/hosts`);
    await api.text();
    expect(api.headers.get('server-timing')).to.equal(null);
  });

  it('should answer an unknown host with a 404 JSON message and a 404 page', async () => {
    const hub = await start();

    const api = await getJson(`${hub.url}/api/hosts/nope`);
    expect(api).to.deep.equal({ status: 404, body: { statusCode: 404, message: "Unknown host 'nope'", error: 'Not Found' } });

    const page = await fetch(`${hub.url}/hosts/nope`);
    expect(page.status).to.equal(404);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(await page.text()).to.contain('Unknown host');
  });

  it('should refuse a wrong token with UNAUTHORIZED, log the remote address and keep serving', async () => {
    const hub = await start();

    const error = await connectError(hub, validAuth('not-the-token'));

    expect(error.data?.code).to.equal('UNAUTHORIZED');
    expect(logs.messages('warn').join('\n')).to.contain('UNAUTHORIZED').and.contain('127.0.0.1');
    const health = await getJson(`${hub.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.include({ status: 'ok', hosts: 0 });
    expect(await hosts(hub)).to.deep.equal([]);
  });

  it('should refuse a handshake without auth with UNAUTHORIZED', async () => {
    const hub = await start();

    const error = await connectError(hub, undefined);

    expect(error.data?.code).to.equal('UNAUTHORIZED');
    expect(error.message).to.contain('token');
  });

  it('should refuse an unsupported protocol version with UNSUPPORTED_PROTOCOL', async () => {
    const hub = await start();

    const error = await connectError(hub, validAuth(TOKEN, { protocolVersion: 999 }));

    expect(error.data?.code).to.equal('UNSUPPORTED_PROTOCOL');
  });

  it('should ack an invalid snapshot with INVALID_MESSAGE naming the path and store nothing', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

    const ack = await send(agent, 'snapshot', { ...validSnapshot(), memory: { ...validSnapshot().memory, usedPercent: 'high' } });

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    expect(ack).to.have.nested.property('error.message').that.contains('memory.usedPercent');
    expect(logs.messages('warn').join('\n')).to.contain('memory.usedPercent');
    const [host] = await hosts(hub);
    expect(host?.metrics).to.equal(null);
    // The socket stays usable: a bad message is refused, not fatal.
    expect(await send(agent, 'snapshot', validSnapshot())).to.deep.equal({ ok: true });
  });

  it('should refuse a snapshot sent with more than one argument, and store one sent without asking for an ack', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    const untyped = agent as unknown as { emit(event: string, ...args: unknown[]): void };

    const ack = await new Promise((resolve) => untyped.emit('snapshot', validSnapshot(), 'extra', resolve));
    untyped.emit('snapshot', validSnapshot({ seq: 9 }));

    expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
    const stored = await eventually(async () => {
      const [host] = await hosts(hub);
      if ((host?.metrics as { seq?: number } | null)?.seq !== 9) throw new Error('not stored yet');
      return host;
    });
    expect(stored?.hostId).to.equal(validSnapshot().hostId);
  });

  it('should ack a snapshot for another host id with HOST_MISMATCH and store nothing', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'web-01' }), cleanup);

    const ack = await send(agent, 'snapshot', validSnapshot({ hostId: 'db-01' }));

    expect(ack).to.have.nested.property('error.code', 'HOST_MISMATCH');
    const list = await hosts(hub);
    expect(list.map((host) => [host.hostId, host.metrics])).to.deep.equal([['web-01', null]]);
  });

  it('should cut off a message above the protocol size limit and keep serving', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    const disconnected = new Promise<string>((resolve) => agent.once('disconnect', resolve));

    agent.emit('snapshot', { ...validSnapshot(), padding: 'x'.repeat(LIMITS.maxMessageBytes + 1) } as unknown as Snapshot, () => undefined);

    expect(await disconnected).to.be.a('string');
    expect((await getJson(`${hub.url}/healthz`)).status).to.equal(200);
    const [host] = await eventually(async () => {
      const list = await hosts(hub);
      expect(list[0]?.connected).to.equal(false);
      return list;
    });
    expect(host?.metrics).to.equal(null);
  });

  it('should ack a replayed seq without rewinding the latest snapshot', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

    await send(agent, 'snapshot', validSnapshot({ seq: 2, uptimeSeconds: 20 }));
    const replay = await send(agent, 'snapshot', validSnapshot({ seq: 1, uptimeSeconds: 10 }));

    expect(replay).to.deep.equal({ ok: true });
    const [host] = await hosts(hub);
    expect(host?.metrics).to.include({ seq: 2, uptimeSeconds: 20 });
  });

  it('should list two agents with different host ids, sorted by host name', async () => {
    const hub = await start();
    const web = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'web-01' }), cleanup);
    const db = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'db-01' }), cleanup);

    await send(web, 'facts', validFacts({ hostname: 'web' }));
    await send(db, 'facts', validFacts({ hostname: 'db' }));
    await send(web, 'snapshot', validSnapshot({ hostId: 'web-01' }));
    await send(db, 'snapshot', validSnapshot({ hostId: 'db-01' }));

    const list = await hosts(hub);
    expect(list.map((host) => [host.hostId, host.hostname, host.status])).to.deep.equal([
      ['db-01', 'db', 'online'],
      ['web-01', 'web', 'online'],
    ]);
    expect((await getJson(`${hub.url}/healthz`)).body).to.deep.include({ hosts: 2 });
    const page = await (await fetch(`${hub.url}/`)).text();
    expect(page).to.contain('web').and.contain('db');
  });

  it('should mark a silent host stale, and offline once its socket closes, keeping it listed', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { intervalMs: 200 }), cleanup);
    await send(agent, 'snapshot', validSnapshot());
    expect((await hosts(hub))[0]?.status).to.equal('online');

    await eventually(async () => expect((await hosts(hub))[0]?.status).to.equal('stale'), 3000);

    agent.disconnect();
    const host = await eventually(async () => {
      const [only] = await hosts(hub);
      expect(only).to.include({ hostId: 'web-01', status: 'offline', connected: false });
      return only;
    });
    expect(host?.lastSeen).to.be.a('number');
    expect(host?.metrics).to.deep.equal(validSnapshot());
  });

  it('should keep a host connected when a newer socket with its key replaces the older one', async () => {
    const hub = await start();
    const key = 'host-key-of-the-agent-0123456789abcdef';
    const first = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: key }), cleanup);
    const replaced = new Promise((resolve) => first.once('disconnect', resolve));
    await connectAgent(hub.url, validAuth(TOKEN, { hostKey: key }), cleanup);
    await replaced;
    // Give the hub time to handle the close before asserting that nothing changed.
    await eventually(async () => expect(logs.messages('log').join('\n')).to.contain('disconnected'));

    expect((await hosts(hub))[0]).to.include({ connected: true, status: 'online' });
  });

  it('should keep two sockets of one host without a key both open, and the host connected while either is', async () => {
    const hub = await start();
    const first = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    const second = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
    expect(await send(first, 'facts', validFacts())).to.deep.equal({ ok: true });
    expect(await send(second, 'facts', validFacts())).to.deep.equal({ ok: true });

    first.disconnect();
    await eventually(async () => expect(logs.messages('log').join('\n')).to.contain('disconnected'));

    expect(second.connected).to.equal(true);
    expect((await hosts(hub))[0]).to.include({ connected: true, status: 'online' });
  });

  it('should generate an owner-only token file when none is configured and reuse it after a restart', async () => {
    const dataDir = path.join(await makeTempDir(cleanup), 'data');
    const first = await start({ dataDir, agentToken: null });

    const file = path.join(dataDir, 'agent-token');
    const stat = await fs.stat(file);
    expect(stat.mode & 0o777).to.equal(0o600);
    expect((await fs.stat(dataDir)).mode & 0o777).to.equal(0o700);
    expect((await fs.readFile(file, 'utf8')).trim()).to.equal(first.agentToken);
    expect(first.agentToken).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(logs.messages('log').join('\n')).to.contain(`npm run agent -- --hub ${first.url} --token ${first.agentToken}`);
    await first.close();

    const second = await start({ dataDir, agentToken: null });
    expect(second.agentToken).to.equal(first.agentToken);
    await connectAgent(second.url, validAuth(second.agentToken), cleanup);
  });

  it('should answer /healthz with status, host count and uptime', async () => {
    const hub = await start();

    const { status, body } = await getJson(`${hub.url}/healthz`);

    expect(status).to.equal(200);
    expect(body).to.have.all.keys('status', 'hosts', 'uptimeSeconds');
    expect(body).to.deep.include({ status: 'ok', hosts: 0 });
    const { uptimeSeconds } = body as { uptimeSeconds: number };
    expect(Number.isInteger(uptimeSeconds) && uptimeSeconds >= 0 && uptimeSeconds < 60, `uptimeSeconds ${uptimeSeconds}`).to.equal(true);
  });

  it('should close at once, and free its port, while a client holds a connection that never sent a request', async () => {
    const hub = await start();
    // A browser's preconnected socket looks like this; Node's server.close() alone would wait minutes for it.
    const idle = net.connect(hub.port, '127.0.0.1');
    cleanup.add(() => void idle.destroy());
    await once(idle, 'connect');
    const idleClosed = once(idle, 'close');

    const outcome = await Promise.race([hub.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 5000, 'still waiting after 5 s'))]);

    expect(outcome).to.equal('closed');
    await idleClosed;
    const again = await start({ port: hub.port });
    expect((await getJson(`${again.url}/healthz`)).status).to.equal(200);
  });
});
