import type { Ack, Snapshot } from '@hostwatch/protocol';
import { validAuth, validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import WebSocket from 'ws';
import type { RunningHub } from '../hub';
import { CapturingLogger } from '../testing/capturing-logger';
import { Cleanup, connectAgent, send, type AgentClient, startTestHub } from './e2e.helpers';

const TOKEN = 'fuzz-token-0123456789';
/** Fixed so that a failure reproduces; HOSTWATCH_FUZZ_SEED tries another sequence. */
const SEED = Number(process.env['HOSTWATCH_FUZZ_SEED'] ?? 0x5eed);
const MUTATED_SNAPSHOTS = 3000;
const RAW_CONNECTIONS = 300;
const HOSTILE_SOCKETS = 6;
/** Heap the hub may keep after the run, beyond what it held before: generous, but far below a leak per message. */
const MAX_HEAP_GROWTH_BYTES = 96 * 1024 * 1024;

/** mulberry32: small, fast and good enough to pick mutations. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Mutator {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A hostile value: wrong types, NaN-like strings, huge strings and arrays, deep nesting, pollution keys. */
  value(): Json {
    switch (this.int(14)) {
      case 0:
        return this.pick(['NaN', 'Infinity', '-Infinity', '1e309', '0x10', '', ' ', '\u0000', '<img src=x onerror=alert(1)>']);
      case 1:
        return this.pick([-1, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, 2 ** 64]);
      case 2:
        return this.pick([true, false, null]);
      case 3:
        return 'x'.repeat(1 + this.int(100_000));
      case 4:
        return Array.from({ length: 1 + this.int(20_000) }, (_, i) => i);
      case 5:
        return this.nested(1 + this.int(1000));
      case 6:
        return JSON.parse('{"__proto__": {"polluted": "yes"}, "hostId": "web-01"}') as Json;
      case 7:
        return JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as Json;
      case 8:
        return {};
      case 9:
        return [];
      case 10:
        return { toString: 'x', valueOf: 1, hasOwnProperty: null };
      case 11:
        return this.int(1_000_000) - 500_000;
      case 12:
        return Array.from({ length: 1 + this.int(50) }, () => ({ name: 'x'.repeat(this.int(2000)), pid: -this.int(10) }));
      default:
        return String.fromCharCode(...Array.from({ length: this.int(64) }, () => this.int(0xffff)));
    }
  }

  nested(depth: number): Json {
    let value: Json = 1;
    for (let i = 0; i < depth; i += 1) value = this.random() < 0.5 ? [value] : { a: value };
    return value;
  }

  /** A snapshot with a few of its fields, at any depth, replaced, removed or added. */
  snapshot(base: Snapshot): Json {
    if (this.random() < 0.1) return this.value();
    const copy = JSON.parse(JSON.stringify(base)) as { [key: string]: Json };
    const edits = 1 + this.int(3);
    for (let i = 0; i < edits; i += 1) this.mutateSomewhere(copy);
    return copy;
  }

  private mutateSomewhere(root: { [key: string]: Json }): void {
    let node: Json = root;
    for (let depth = 0; depth < 4; depth += 1) {
      if (node === null || typeof node !== 'object') return;
      const keys: string[] = Object.keys(node);
      if (keys.length === 0) break;
      const key: string = this.pick(keys);
      const child: Json = Array.isArray(node) ? (node[Number(key)] as Json) : (node[key] as Json);
      if (child === null || typeof child !== 'object' || this.random() < 0.4) {
        const roll = this.random();
        if (Array.isArray(node)) node[Number(key)] = this.value();
        else if (roll < 0.15) delete node[key];
        else if (roll < 0.25) node[this.pick(['__proto__', 'constructor', 'prototype', 'extra'])] = this.value();
        else node[key] = this.value();
        return;
      }
      node = child;
    }
  }

  /** A frame a broken or hostile client might send on a raw engine.io WebSocket. */
  rawFrame(): string | Buffer {
    const frames = [
      () => Buffer.from(Array.from({ length: this.int(4096) }, () => this.int(256))),
      () => String.fromCharCode(...Array.from({ length: this.int(512) }, () => this.int(0xffff))),
      () => `4${this.int(10)}/agent,${'{'.repeat(this.int(100))}`,
      () => '40/agent,{"token":',
      () => `40/agent,${JSON.stringify(validAuth(TOKEN, { hostId: `raw-${this.int(5)}` }))}`,
      () => `40/agent,${JSON.stringify({ token: TOKEN, hostId: { $gt: '' }, protocolVersion: 1, intervalMs: 100 })}`,
      () => '40/agent,{"__proto__":{"polluted":"yes"},"token":"x"}',
      () => `42/agent,["snapshot",${JSON.stringify(this.value())}]`,
      () => `42/agent,${this.int(1e9)}["snapshot",{"hostId":"web-01","seq":`,
      () => '451-/agent,["snapshot",{"_placeholder":true,"num":0}]',
      () => '452-/agent,0["snapshot",{"_placeholder":true,"num":99}]',
      () => {
        // Built by hand: deeper than JSON.stringify could write, as deep as the size limit allows.
        const depth = 1 + this.int(200_000);
        return `42/agent,1["facts",${'['.repeat(depth)}1${']'.repeat(depth)}]`;
      },
      () => `42/agent,2["snapshot",${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]`,
      () => `43/agent,${this.int(100)}[{"ok":true}]`,
      () => '2',
      () => '3probe',
      () => '5',
      () => '6',
      () => '1',
      () => `4${'9'.repeat(this.int(40))}`,
      () => '41/agent,',
      () => '40/nope,{}',
      () => '40/agent,' + JSON.stringify({ token: 'wrong', hostId: 'h', protocolVersion: 1, intervalMs: 100 }),
    ];
    return this.pick(frames)();
  }
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return process.memoryUsage().heapUsed;
}

describe('fuzz (e2e)', function () {
  this.timeout(120_000);
  let cleanup: Cleanup;
  let logs: CapturingLogger;

  beforeEach(() => {
    cleanup = new Cleanup();
    logs = new CapturingLogger();
  });

  afterEach(() => cleanup.run());

  /** A well-behaved agent beside the fuzzing: one valid snapshot every 50 ms, each ack recorded with its delay. */
  function steadyAgent(agent: AgentClient) {
    const acks: { ack: Ack | Error; ms: number }[] = [];
    let seq = 0;
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        seq += 1;
        const sentAt = Date.now();
        const ack = await send(agent, 'snapshot', validSnapshot({ hostId: 'steady', seq })).catch((error: Error) => error);
        acks.push({ ack, ms: Date.now() - sentAt });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return {
      acks,
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  }

  async function rawConnection(hub: RunningHub, mutate: Mutator): Promise<void> {
    const ws = new WebSocket(`${hub.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      ws.once('close', done);
      ws.once('message', () => {
        const frames = 1 + mutate.int(8);
        for (let i = 0; i < frames && ws.readyState === WebSocket.OPEN; i += 1) ws.send(mutate.rawFrame());
        // Long enough for the hub to act on what it got, then gone, as a flaky client would be.
        setTimeout(() => ws.terminate(), 5 + mutate.int(30));
      });
      setTimeout(() => ws.terminate(), 3000);
    });
  }

  it(`should survive ${MUTATED_SNAPSHOTS} mutated snapshots and ${RAW_CONNECTIONS} raw garbage connections with bounded heap while a steady agent keeps getting acks (seed ${SEED})`, async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN }, logs);
    const mutate = new Mutator(prng(SEED));
    const steadySocket = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'steady', intervalMs: 1000 }), cleanup);
    expect(await send(steadySocket, 'facts', validFacts())).to.deep.equal({ ok: true });
    const heapBefore = heapUsed();
    const steady = steadyAgent(steadySocket);
    cleanup.add(() => steady.stop());

    // Hostile but authenticated agents: every message must be answered with an ack, none may crash the hub.
    const hostile = await Promise.all(
      Array.from({ length: HOSTILE_SOCKETS }, (_, i) => connectAgent(hub.url, validAuth(TOKEN, { hostId: `fuzz-${i}`, intervalMs: 100 }), cleanup)),
    );
    const codes = new Map<string, number>();
    const perSocket = Math.ceil(MUTATED_SNAPSHOTS / HOSTILE_SOCKETS);
    await Promise.all(
      hostile.map(async (socket, i) => {
        const base = validSnapshot({ hostId: `fuzz-${i}` });
        for (let n = 0; n < perSocket; n += 1) {
          base.seq += 1;
          const event = mutate.random() < 0.2 ? 'facts' : 'snapshot';
          const ack = await send(socket, event, mutate.snapshot(base));
          const code = ack.ok ? 'OK' : ack.error.code;
          codes.set(code, (codes.get(code) ?? 0) + 1);
          expect(['OK', 'INVALID_MESSAGE', 'HOST_MISMATCH', 'RATE_LIMITED'], `seed ${SEED}: ${JSON.stringify(ack)}`).to.include(code);
        }
      }),
    );
    expect(codes.get('INVALID_MESSAGE') ?? 0, `seed ${SEED}`).to.be.greaterThan(MUTATED_SNAPSHOTS / 2);

    // Raw garbage at the engine.io and socket.io layers, a few connections at a time.
    for (let done = 0; done < RAW_CONNECTIONS; done += 10) {
      await Promise.all(Array.from({ length: 10 }, () => rawConnection(hub, mutate)));
    }

    // An oversized message closes that connection only.
    const big = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'big' }), cleanup);
    const bigClosed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big as unknown as { emit(event: string, payload: unknown): void }).emit('snapshot', { ...validSnapshot({ hostId: 'big' }), pad: 'x'.repeat(600 * 1024) });
    expect(await bigClosed).to.equal('transport close');

    expect(logs.messages('warn').join('\n')).to.match(/Closed a connection from \S+: transport error/);

    // A malformed packet on an authenticated connection closes that connection only, and is logged with its host.
    const broken = await connectAgent(hub.url, validAuth(TOKEN, { hostId: 'broken' }), cleanup);
    const brokenClosed = new Promise<string>((resolve) => broken.once('disconnect', (reason) => resolve(reason)));
    (broken.io as unknown as { engine: { write(data: string): void } }).engine.write('42/agent,0["snapshot",{"hostId":');
    expect(await brokenClosed).to.equal('transport close');
    expect(logs.messages('warn').join('\n')).to.contain("Closed the connection of host 'broken'");

    await steady.stop();
    const failures = steady.acks.filter(({ ack }) => ack instanceof Error || !ack.ok);
    expect(failures, `seed ${SEED}`).to.deep.equal([]);
    expect(steady.acks.length).to.be.greaterThan(20);
    expect(Math.max(...steady.acks.map(({ ms }) => ms)), 'slowest steady ack (ms)').to.be.below(3000);
    for (const socket of hostile) expect(socket.connected).to.equal(true);
    expect(await send(steadySocket, 'snapshot', validSnapshot({ hostId: 'steady', seq: 1_000_000 }))).to.deep.equal({ ok: true });

    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(Object.prototype).not.to.have.property('polluted');
    const health = await fetch(`${hub.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(logs.messages('warn').join('\n')).to.contain('Refused an invalid snapshot');
    const growth = heapUsed() - heapBefore;
    expect(growth, `heap grew by ${Math.round(growth / 1024 / 1024)} MiB`).to.be.below(MAX_HEAP_GROWTH_BYTES);
  });
});
