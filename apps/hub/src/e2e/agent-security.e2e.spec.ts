import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Ack } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import type { RunningHub } from '../hub';
import { IssuedTokenService } from '../ingest/issued-token.service';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, eventually, makeTempDir, send, spawnNode, type AgentClient, type ConnectError, startTestHub } from './e2e.helpers';
import { AGENT_MAIN } from './hub-process';

const TOKEN = 'e2e-token-0123456789';
const KEY_A = 'host-key-of-agent-a-0123456789abcdef';
const KEY_B = 'host-key-of-agent-b-0123456789abcdef';
const HUB_MAIN = path.join(__dirname, '..', 'main.js');

describe('agent security (e2e)', () => {
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

  async function refusal(hub: RunningHub, auth: Parameters<typeof connectAgent>[1]): Promise<ConnectError> {
    const outcome = await connectAgent(hub.url, auth, cleanup).then(
      () => null,
      (error: ConnectError) => error,
    );
    if (!outcome) throw new Error('expected the hub to refuse the connection');
    return outcome;
  }

  function disconnected(socket: AgentClient): Promise<string> {
    return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  }

  it('should refuse a second agent claiming a bound host id with HOST_CLAIMED while the first keeps getting acks', async () => {
    const hub = await start();
    const first = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY_A }), cleanup);
    expect(await send(first, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });

    const claimed = await refusal(hub, validAuth(TOKEN, { hostKey: KEY_B }));
    const keyless = await refusal(hub, validAuth(TOKEN));

    expect(claimed.data?.code).to.equal('HOST_CLAIMED');
    expect(keyless.data?.code).to.equal('HOST_CLAIMED');
    expect(logs.messages('warn').join('\n')).to.match(/Refused agent handshake from \S*127\.0\.0\.1: HOST_CLAIMED/);
    expect(await send(first, 'snapshot', validSnapshot({ seq: 2 }))).to.deep.equal({ ok: true });
    const again = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY_A }), cleanup);
    expect(await send(again, 'snapshot', validSnapshot({ seq: 3 }))).to.deep.equal({ ok: true });
  });

  it('should release the binding when the host is forgotten, so that another key can bind it', async () => {
    const hub = await start();
    const first = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY_A }), cleanup);
    expect(await send(first, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });
    first.disconnect();

    const forgotten = await fetch(`${hub.url}/api/hosts/web-01`, { method: 'DELETE' });

    expect(forgotten.status).to.equal(204);
    const second = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY_B }), cleanup);
    expect(await send(second, 'snapshot', validSnapshot({ seq: 2 }))).to.deep.equal({ ok: true });
    expect((await refusal(hub, validAuth(TOKEN, { hostKey: KEY_A }))).data?.code).to.equal('HOST_CLAIMED');
  });

  it('should make a real agent keep its key in a private file and exit 3 with a clear message when its host id is claimed', async () => {
    const hub = await start();
    const dir = await makeTempDir(cleanup);
    const keyFile = path.join(dir, 'state', 'host-key');
    await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'taken', hostKey: KEY_A }), cleanup);

    const agent = spawnNode(AGENT_MAIN, ['--hub', hub.url, '--host-id', 'taken', '--key-file', keyFile], { HOSTWATCH_TOKEN: TOKEN }, cleanup);
    const exit = await agent.exited;

    expect(exit.code, exit.stderr).to.equal(3);
    expect(exit.stderr).to.contain('HOST_CLAIMED').and.contain('--key-file');
    expect((await fs.stat(keyFile)).mode & 0o777).to.equal(0o600);
    expect((await fs.stat(path.dirname(keyFile))).mode & 0o777).to.equal(0o700);
    expect((await fs.readFile(keyFile, 'utf8')).trim()).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('should keep a binding across a hub restart on the same data directory', async () => {
    const dataDir = await makeTempDir(cleanup);
    const before = await start({ dataDir });
    await connectAgent(before.url, validAuth(TOKEN, { hostKey: KEY_A }), cleanup);
    await before.close();

    const after = await start({ dataDir });

    expect((await refusal(after, validAuth(TOKEN, { hostKey: KEY_B }))).data?.code).to.equal('HOST_CLAIMED');
  });

  it('should admit a per-host token for its host only, beside the shared token', async () => {
    const hub = await start();
    const { token } = hub.app.get(IssuedTokenService).issue({ hostId: 'db-01', note: 'db' });

    const own = await connectAgent(hub.url, validAuth(token, { hostId: 'db-01' }), cleanup);
    const other = await refusal(hub, validAuth(token, { hostId: 'web-01' }));
    const shared = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'web-01' }), cleanup);

    expect(await send(own, 'snapshot', validSnapshot({ hostId: 'db-01', seq: 1 }))).to.deep.equal({ ok: true });
    expect(other.data?.code).to.equal('UNAUTHORIZED');
    expect(await send(shared, 'snapshot', validSnapshot({ hostId: 'web-01', seq: 1 }))).to.deep.equal({ ok: true });
  });

  it('should refuse a revoked token and drop a connection that used it at its next message', async () => {
    const hub = await start();
    const tokens = hub.app.get(IssuedTokenService);
    const { token, issued } = tokens.issue({ hostId: null, note: null });
    const agent = await connectAgent(hub.url, validAuth(token), cleanup);
    expect(await send(agent, 'facts', validFacts())).to.deep.equal({ ok: true });
    const closed = disconnected(agent);

    tokens.revoke(issued.id);

    const ack = await send(agent, 'snapshot', validSnapshot({ seq: 1 }));
    expect(ack).to.deep.include({ ok: false });
    expect(ack.ok === false && ack.error.code).to.equal('UNAUTHORIZED');
    expect(await closed).to.equal('io server disconnect');
    expect((await refusal(hub, validAuth(token))).data?.code).to.equal('UNAUTHORIZED');
  });

  it('should issue, list and revoke tokens from the command line while a hub runs on the same data directory', async () => {
    const dataDir = await makeTempDir(cleanup);
    const hub = await start({ dataDir });
    const cli = async (...args: string[]) => {
      const run = spawnNode(HUB_MAIN, ['token', ...args, '--data-dir', dataDir], {}, cleanup);
      return run.exited;
    };

    const added = await cli('add', '--host', 'db-01', '--name', 'rack 4');
    expect(added.code, added.stderr).to.equal(0);
    const token = added.stdout.trim();
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    const agent = await connectAgent(hub.url, validAuth(token, { hostId: 'db-01' }), cleanup);
    expect(await send(agent, 'snapshot', validSnapshot({ hostId: 'db-01', seq: 1 }))).to.deep.equal({ ok: true });
    expect((await refusal(hub, validAuth(token, { hostId: 'web-01' }))).data?.code).to.equal('UNAUTHORIZED');

    const listed = await cli('list');
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.match(/^ID\s+HOST\s+NOTE\s+CREATED\s+LAST USED\n/);
    const row = listed.stdout.split('\n')[1] ?? '';
    expect(row).to.match(/^[0-9a-f]{8}\s+db-01\s+rack 4\s+\d{4}-\d\d-\d\dT\S+Z\s+\d{4}-\d\d-\d\dT\S+Z$/);
    expect(listed.stdout + listed.stderr).not.to.contain(token);
    const id = row.split(/\s+/)[0] ?? '';

    const closed = disconnected(agent);
    const revoked = await cli('revoke', id);
    expect(revoked.code, revoked.stderr).to.equal(0);
    const ack = await send(agent, 'snapshot', validSnapshot({ hostId: 'db-01', seq: 2 }));
    expect(ack.ok === false && ack.error.code).to.equal('UNAUTHORIZED');
    await closed;
    expect((await refusal(hub, validAuth(token, { hostId: 'db-01' }))).data?.code).to.equal('UNAUTHORIZED');
    expect((await cli('list')).stdout).to.equal('No issued tokens.\n');
    expect((await cli('revoke', id)).code).to.equal(1);
  });

  it('should answer RATE_LIMITED past the burst, keep the connection, and accept again once it refilled', async () => {
    const hub = await start();
    const agent = await connectAgent(hub.url, validAuth(TOKEN, { intervalMs: 100_000 }), cleanup);
    const untyped = agent as unknown as { emit(event: string, payload: unknown, ack: (ack: Ack) => void): void };

    // Cheap messages: the limit applies before validation, so invalid ones count the same.
    const acks = await Promise.all(Array.from({ length: 700 }, () => new Promise<Ack>((resolve) => untyped.emit('snapshot', {}, resolve))));

    const codes = acks.map((ack) => (ack.ok ? 'OK' : ack.error.code));
    expect(codes.filter((code) => code === 'INVALID_MESSAGE')).to.have.length.within(600, 610);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).to.have.length.within(90, 100);
    expect(logs.messages('warn').join('\n')).to.contain('sends faster than allowed');
    expect(agent.connected).to.equal(true);
    await eventually(async () => expect(await send(agent, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true }), 2000, 150);
  });

  it('should refuse a new host over --max-hosts with HOST_LIMIT and still admit the known ones', async () => {
    const hub = await start({ maxHosts: 2 });
    await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'a' }), cleanup);
    await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'b' }), cleanup);

    const over = await refusal(hub, validAuth(TOKEN, { hostId: 'c' }));

    expect(over.data?.code).to.equal('HOST_LIMIT');
    expect(over.message).to.contain('maximum of 2 hosts');
    await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'a' }), cleanup);
  });

  it('should refuse a connection over the per-address cap with RATE_LIMITED at the handshake, and admit one again once another closed', async () => {
    const hub = await start({ maxConnectionsPerAddress: 3 });
    const open = [];
    for (let i = 0; i < 3; i += 1) open.push(await connectAgent(hub.url, validAuth(TOKEN, { hostId: `h${i}` }), cleanup));

    // The address is judged before the token.
    const extra = await refusal(hub, validAuth('not-the-token', { hostId: 'h3' }));

    expect(extra.data?.code).to.equal('RATE_LIMITED');
    expect(extra.message).to.contain('Too many connections from this address');
    expect(logs.messages('warn').join('\n')).to.contain('RATE_LIMITED').and.contain('the cap per address');
    expect(await send(open[0] as AgentClient, 'facts', validFacts())).to.deep.equal({ ok: true });

    const closed = open.pop() as AgentClient;
    closed.disconnect();
    await eventually(
      async () => {
        await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'h3' }), cleanup);
      },
      3000,
      100,
    );
  });

  it('should turn a flood away at the transport with 403 once an address holds twice its cap', async () => {
    const hub = await start({ maxConnectionsPerAddress: 3 });
    const handshake = () => fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`);
    for (let i = 0; i < 3; i += 1) await connectAgent(hub.url, validAuth(TOKEN, { hostId: `h${i}` }), cleanup);

    // Transport connections that join no namespace yet: the hub counts them until they close.
    const held = [];
    for (let i = 0; i < 3; i += 1) held.push((await handshake()).status);
    const flood = await handshake();

    expect(held).to.deep.equal([200, 200, 200]);
    expect(flood.status).to.equal(403);
    expect(((await flood.json()) as { message?: string }).message).to.contain('Too many connections from this address');
    expect(logs.messages('warn').join('\n')).to.contain('at the transport');
  });

  it('should announce 20 s pings, a 10 s ping timeout and the protocol size limit in the engine handshake', async () => {
    const hub = await start();

    const response = await fetch(`${hub.url}/socket.io/?EIO=4&transport=polling`);
    const open = JSON.parse((await response.text()).replace(/^0/, '')) as { pingInterval: number; pingTimeout: number; maxPayload: number };

    expect(open).to.include({ pingInterval: 20_000, pingTimeout: 10_000, maxPayload: 512 * 1024 });
  });
});
