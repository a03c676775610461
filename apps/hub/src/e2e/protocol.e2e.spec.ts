import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { LIMITS, encodeSnapshot, type Ack, type ClosingNotice, type Snapshot } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, getJson, makeTempDir, send, spawnNode, startTestHub, type AgentClient } from './e2e.helpers';
import { AGENT_MAIN } from './hub-process';

const TOKEN = 'e2e-token-0123456789';
const KEY = 'host-key-of-the-agent-0123456789abcdef';

/** What docs/PROTOCOL.md promises a client, held against a real hub over real sockets. */
describe('the wire protocol as PROTOCOL.md states it (e2e)', () => {
  let cleanup: Cleanup;
  let logs: CapturingLogger;

  beforeEach(() => {
    cleanup = new Cleanup();
    logs = new CapturingLogger();
  });

  afterEach(() => cleanup.run());

  function start(): Promise<RunningHub> {
    return startTestHub(cleanup, { agentToken: TOKEN }, logs);
  }

  /** Resolves with the promise's value, or fails naming what did not happen in time. */
  function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      promise.then(
        (value) => (clearTimeout(timer), resolve(value)),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      );
    });
  }

  function cpuAt(seq: number, ts: number, cpu: number): Snapshot {
    const snapshot = validSnapshot({ seq, ts });
    snapshot.cpu.usagePercent = cpu;
    return snapshot;
  }

  async function cpuHistory(hub: RunningHub, from: number, to: number): Promise<number[][]> {
    const history = await getJson(`${hub.url}/api/hosts/web-01/history?metric=cpu&from=${from}&to=${to}`);
    return (history.body as { points: number[][] }).points;
  }

  describe('seq and ts', () => {
    it('should ack an older unseen seq into history without changing the latest view, and ignore a seq or a ts already stored', async () => {
      const hub = await start();
      const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
      const t = Date.now() - 10_000;
      expect(await send(agent, 'facts', validFacts())).to.deep.equal({ ok: true });

      const acks = [
        await send(agent, 'snapshot', cpuAt(10, t + 3000, 30)),
        // Older and unseen: fills the gap.
        await send(agent, 'snapshot', cpuAt(8, t + 1000, 10)),
        // Seen already, other values: ignored.
        await send(agent, 'snapshot', cpuAt(8, t + 1000, 99)),
        await send(agent, 'snapshot', cpuAt(10, t + 3000, 98)),
        // Newer, at a time another sample holds (a clock set back): the latest view, but not that point.
        await send(agent, 'snapshot', cpuAt(11, t + 1000, 97)),
      ];

      expect(acks).to.deep.equal(Array.from({ length: 5 }, (): Ack => ({ ok: true })));
      expect(await cpuHistory(hub, t, t + 5000)).to.deep.equal([
        [t + 1000, 10],
        [t + 3000, 30],
      ]);
      const host = await getJson(`${hub.url}/api/hosts/web-01`);
      expect(host.body).to.have.nested.property('metrics.seq', 11);
      expect(host.body).to.have.nested.property('metrics.cpu.usagePercent', 97);
    });
  });

  describe('facts', () => {
    it('should store a snapshot sent before any facts and list the host under its id, with no hostname, until facts come', async () => {
      const hub = await start();
      const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

      const ack = await send(agent, 'snapshot', validSnapshot({ seq: 1 }));

      expect(ack).to.deep.equal({ ok: true });
      const before = await getJson(`${hub.url}/api/hosts/web-01`);
      expect(before.body).to.deep.include({ hostId: 'web-01', hostname: null, facts: null });
      expect(before.body).to.have.nested.property('metrics.seq', 1);
      const page = await (await fetch(`${hub.url}/`)).text();
      expect(page).to.contain('web-01');

      expect(await send(agent, 'facts', validFacts({ hostname: 'web-01.example' }))).to.deep.equal({ ok: true });
      const after = await getJson(`${hub.url}/api/hosts/web-01`);
      expect(after.body).to.have.property('hostname', 'web-01.example');
    });
  });

  describe('the deflated snapshot', () => {
    const json = () => JSON.stringify(validSnapshot({ seq: 1 }));

    it('should take raw deflate (RFC 1951) and refuse zlib- and gzip-wrapped data with INVALID_MESSAGE', async () => {
      const hub = await start();
      const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

      const zlib = await send(agent, 'snapshot', deflateSync(json()));
      const gzip = await send(agent, 'snapshot', gzipSync(json()));
      const raw = await send(agent, 'snapshot', deflateRawSync(json()));

      for (const refused of [zlib, gzip]) {
        expect(refused).to.have.nested.property('error.code', 'INVALID_MESSAGE');
        expect(refused).to.have.nested.property('error.message').that.contains('not raw deflate');
      }
      expect(raw).to.deep.equal({ ok: true });
    });

    it("should refuse a deflated snapshot that is not the event's only argument", async () => {
      const hub = await start();
      const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
      const untyped = agent.timeout(5000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<Ack> };

      const ack = await untyped.emitWithAck('snapshot', encodeSnapshot(validSnapshot({ seq: 1 })), { compressed: true });

      expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
      expect(await getJson(`${hub.url}/api/hosts/web-01`)).to.have.nested.property('body.metrics', null);
    });

    it('should refuse a snapshot whose every field is within its limit but whose whole JSON is over the packet limit', async () => {
      const hub = await start();
      const agent = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
      const address = (i: number) => `fd00:${String(i).padStart(4, '0')}:`.padEnd(LIMITS.shortText, '0');
      const snapshot = validSnapshot({ seq: 1 });
      const template = snapshot.network[0] as Snapshot['network'][number];
      snapshot.network = Array.from({ length: LIMITS.interfaces }, (_, n) => ({
        ...template,
        name: `eth${n}`,
        ipv4: [],
        ipv6: Array.from({ length: LIMITS.addressesPerInterface }, (_, i) => address(i)),
      }));
      const encoded = encodeSnapshot(snapshot);
      expect(JSON.stringify(snapshot).length).to.be.above(LIMITS.maxMessageBytes);
      expect(encoded.length).to.be.below(LIMITS.maxMessageBytes);

      const ack = await send(agent, 'snapshot', encoded);

      expect(ack).to.have.nested.property('error.code', 'INVALID_MESSAGE');
      expect(ack).to.have.nested.property('error.message').that.contains('inflates beyond');
    });
  });

  describe('one connection per host', () => {
    it('should let the newest connection replace an older one with the same key, which hears REPLACED and is closed', async () => {
      const hub = await start();
      const older = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY }), cleanup);
      expect(await send(older, 'facts', validFacts())).to.deep.equal({ ok: true });
      const notice = new Promise<ClosingNotice>((resolve) => older.once('closing', resolve));
      const closed = new Promise<string>((resolve) => older.once('disconnect', resolve));

      const newer = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY }), cleanup);

      expect(await within(notice, 3000, 'the closing notice')).to.deep.include({ code: 'REPLACED' });
      expect(await within(closed, 3000, 'the close')).to.equal('io server disconnect');
      expect(await send(newer, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });
      const host = await getJson(`${hub.url}/api/hosts/web-01`);
      expect(host.body).to.deep.include({ connected: true });
      expect(logs.messages('warn').join('\n')).to.contain('replaced the one from');
    });

    it('should admit connections without a key side by side, none told REPLACED or closed, as agents older than keys expect', async () => {
      const hub = await start();
      const first = await connectAgent(hub.url, validAuth(TOKEN), cleanup);
      const heard: unknown[] = [];
      first.on('closing', (notice: unknown) => heard.push(notice));
      first.on('disconnect', (reason: string) => heard.push(reason));

      const second = await connectAgent(hub.url, validAuth(TOKEN), cleanup);

      expect(await send(second, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });
      // The round trip of a message on the first socket comes after any notice the hub would have sent it.
      expect(await send(first, 'facts', validFacts())).to.deep.equal({ ok: true });
      expect(heard).to.deep.equal([]);
      expect(first.connected && second.connected).to.equal(true);
      expect(logs.messages('warn').join('\n')).not.to.contain('replaced the one from');
    });

    it('should let the first connection with a key replace the keyless ones of the host it binds', async () => {
      const hub = await start();
      const keyless = [await connectAgent(hub.url, validAuth(TOKEN), cleanup), await connectAgent(hub.url, validAuth(TOKEN), cleanup)];
      const notices = keyless.map((socket) => new Promise<ClosingNotice>((resolve) => socket.once('closing', resolve)));

      const keyed = await connectAgent(hub.url, validAuth(TOKEN, { hostKey: KEY }), cleanup);

      for (const notice of notices) expect(await within(notice, 3000, 'the closing notice')).to.deep.include({ code: 'REPLACED' });
      expect(await send(keyed, 'snapshot', validSnapshot({ seq: 1 }))).to.deep.equal({ ok: true });
    });

    it('should make a real agent replaced by another live one with its key exit 3, saying REPLACED', async () => {
      const hub = await start();
      const dir = await makeTempDir(cleanup);
      const keyFile = path.join(dir, 'host-key');
      const agent = spawnNode(AGENT_MAIN, ['--hub', hub.url, '--host-id', 'twin', '--key-file', keyFile], { HOSTWATCH_TOKEN: TOKEN }, cleanup);
      await agent.waitFor(/connected to the hub/);
      const key = (await fs.readFile(keyFile, 'utf8')).trim();

      const twin: AgentClient = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'twin', hostKey: key }), cleanup);
      const exit = await within(agent.exited, 10_000, "the agent's exit");

      expect(exit.code, exit.stderr).to.equal(3);
      expect(exit.stderr).to.contain('REPLACED');
      expect(await send(twin, 'snapshot', validSnapshot({ hostId: 'twin', seq: Date.now() }))).to.deep.equal({ ok: true });
    });
  });

  describe('the Host check', () => {
    it("should make a real agent that reaches a loopback hub under a name it does not answer to exit 3 with the hub's words", async () => {
      const hub = await start();
      // 127.0.0.1 written as an IPv4-mapped IPv6 address: the same socket with no DNS, but not one of the loopback names.
      const unlisted = `http://[::ffff:127.0.0.1]:${hub.port}`;
      const dir = await makeTempDir(cleanup);
      const agent = spawnNode(
        AGENT_MAIN,
        ['--hub', unlisted, '--host-id', 'web-01', '--key-file', path.join(dir, 'host-key')],
        { HOSTWATCH_TOKEN: TOKEN },
        cleanup,
      );

      const exit = await within(agent.exited, 10_000, "the agent's exit");

      expect(exit.code, exit.stderr).to.equal(3);
      expect(exit.stderr).to.contain('421').and.contain('--allowed-hosts');
      // The hub's own words, naming the names it answers to.
      expect(exit.stderr).to.contain('answers only to localhost, 127.0.0.1 and [::1]');
      expect(exit.stderr).not.to.contain('retrying');
      expect(logs.messages('warn').join('\n')).to.contain('Refused GET /socket.io/');
    });
  });
});
