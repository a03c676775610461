import * as fs from 'node:fs';
import * as path from 'node:path';
import { HUB_NODE_FLAGS } from '@hostwatch/hub/dist/core/node-flags';
import type { Cleanup } from '../lib/cleanup';
import { spawnMeasured, type CgroupRoot, type MeasuredProcess } from '../lib/measured-process';
import { freePort, waitForHttp } from '../lib/net';
import { REPO_ROOT } from '../lib/results';

export const HUB_MAIN = path.join(REPO_ROOT, 'apps', 'hub', 'dist', 'main.js');
export const HISTORY_FILE = 'history.sqlite';
const LOOP_PRELOAD = path.join(__dirname, '..', 'lib', 'loop-delay.preload.js');
const GC_PRELOAD = path.join(__dirname, 'collections.preload.js');

export interface BenchHub {
  url: string;
  token: string;
  dataDir: string;
  /** Written when the hub exits: each second's longest event-loop delay (loop-delay.preload). */
  loopFile: string;
  /** Written when the hub exits: its main thread's collections (collections.preload). */
  gcFile: string;
  process: MeasuredProcess;
  stop(): Promise<void>;
}

/**
 * The real hub as a process of its own, on loopback, history on in dataDir.
 * Every simulated agent comes from 127.0.0.1, so the cap on connections per
 * address is lifted (--max-connections-per-address), and the host cap is
 * raised above the largest run (--max-hosts); nothing else is changed.
 * Two preloads note what holds its main thread (its collections, and each
 * second's longest event-loop delay, sampled every 10 ms so that the timer
 * costs next to nothing) and write it when it exits.
 */
export async function startBenchHub(name: string, dataDir: string, cgroups: CgroupRoot, cleanup: Cleanup): Promise<BenchHub> {
  const port = await freePort();
  const token = `bench-${process.pid}-token`;
  fs.mkdirSync(dataDir, { recursive: true });
  const loopFile = path.join(dataDir, '..', `${name}-loop.json`);
  const gcFile = path.join(dataDir, '..', `${name}-gc.json`);
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    HOSTWATCH_BENCH_LOOP_FILE: loopFile,
    HOSTWATCH_BENCH_LOOP_WINDOW_MS: '1000',
    HOSTWATCH_BENCH_LOOP_RESOLUTION_MS: '10',
    HOSTWATCH_BENCH_GC_FILE: gcFile,
  };
  const proc = spawnMeasured(
    process.execPath,
    [
      ...HUB_NODE_FLAGS,
      '--require',
      LOOP_PRELOAD,
      '--require',
      GC_PRELOAD,
      ...hubNodeArgs(),
      HUB_MAIN,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--agent-token',
      token,
      '--max-connections-per-address',
      '1000000',
      '--max-hosts',
      '1000000',
    ],
    { name, raiseFileLimit: true, logFile: path.join(dataDir, '..', `${name}.log`), env },
    cgroups,
    cleanup,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, () => proc.child.exitCode === null);
  return { url, token, dataDir, loopFile, gcFile, process: proc, stop: () => proc.stop(10_000) };
}

/**
 * Node flags for the hub under load besides its own (HUB_NODE_FLAGS, as the
 * npm scripts start it), from HOSTWATCH_BENCH_HUB_NODE_ARGS
 * (space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where
 * its CPU goes. Node refuses --cpu-prof in NODE_OPTIONS, hence a variable of our own.
 */
function hubNodeArgs(): string[] {
  return (process.env['HOSTWATCH_BENCH_HUB_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
}
