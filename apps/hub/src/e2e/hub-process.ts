import * as path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { HISTORY_FILE } from '../store/sqlite-history.repository';
import { getJson, spawnNode, type Cleanup, type NodeProcess } from './e2e.helpers';
import { agentLaunch } from '../single-host/agent-launch';

const HUB_MAIN = path.resolve(__dirname, '..', 'main.js');
export const AGENT_MAIN = agentLaunch().entry;

export interface HubProcess {
  process: NodeProcess;
  url: string;
  port: number;
}

export interface HubProcessOptions {
  dataDir: string;
  token: string;
  /** 0 for any free port; the same port again to come back where agents expect the hub. */
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `node apps/hub/dist/main.js` and resolves once it logs its URL; killed at cleanup if still running. */
export async function startHubProcess(options: HubProcessOptions, cleanup: Cleanup): Promise<HubProcess> {
  const args = ['--port', String(options.port ?? 0), '--host', options.host ?? '127.0.0.1', '--data-dir', options.dataDir, '--agent-token', options.token];
  const proc = spawnNode(HUB_MAIN, args, options.env ?? {}, cleanup);
  const [, url, port] = await proc.waitFor(/Dashboard at (https?:\/\/[^\s/]+:(\d+))\//, 30_000);
  return { process: proc, url: url!, port: Number(port) };
}

/** Stops a hub process the way a service manager does, and waits until it is gone. */
export async function stopHubProcess(hub: HubProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  hub.process.child.kill(signal);
  await hub.process.exited;
}

export type Point = [ts: number, value: number];

/** Reads raw cpu points of a host over [from, to]; up to 10000 come back unaveraged. */
export async function cpuHistory(baseUrl: string, hostId: string, from: number, to: number): Promise<Point[]> {
  const { status, body } = await getJson(`${baseUrl}/api/hosts/${hostId}/history?metric=cpu&from=${from}&to=${to}&points=10000`);
  expect(status, JSON.stringify(body)).to.equal(200);
  const result = body as { tier: string; points: Point[] };
  expect(result.tier).to.equal('raw');
  return result.points;
}

export interface Gap {
  from: number;
  to: number;
}

/** Every step between consecutive timestamps longer than maxStepMs. */
export function gapsIn(stamps: readonly number[], maxStepMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < stamps.length; i++) {
    if (stamps[i]! - stamps[i - 1]! > maxStepMs) gaps.push({ from: stamps[i - 1]!, to: stamps[i]! });
  }
  return gaps;
}

export interface StoredSample {
  seq: number;
  ts: number;
}

/**
 * The (seq, ts) of every snapshot of a host that the hub's history holds, in
 * seq order, read from its SQLite file: the history API answers by time, and
 * only seqs prove that no sample is missing, even where the agent sampled late.
 */
export function storedSamples(dataDir: string, hostId: string): StoredSample[] {
  const db = new Database(path.join(dataDir, HISTORY_FILE), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], StoredSample>('SELECT s.seq AS seq, s.ts AS ts FROM samples s JOIN hosts h ON h.id = s.host WHERE h.host_id = ? ORDER BY s.seq')
      .all(hostId);
  } finally {
    db.close();
  }
}

/** Where consecutive stored seqs are not one apart: each one a sample lost, or a new agent process. */
export function seqJumps(samples: readonly StoredSample[]): Array<{ from: StoredSample; to: StoredSample }> {
  const jumps: Array<{ from: StoredSample; to: StoredSample }> = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.seq !== samples[i - 1]!.seq + 1) jumps.push({ from: samples[i - 1]!, to: samples[i]! });
  }
  return jumps;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
