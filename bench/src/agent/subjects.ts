import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { agentLaunch } from '@hostwatch/hub/dist/single-host/agent-launch';
import type { Cleanup } from '../lib/cleanup';
import { spawnMeasured, type CgroupRoot, type MeasuredProcess } from '../lib/measured-process';
import { freePort, waitForHttp } from '../lib/net';
import { REPO_ROOT } from '../lib/results';
import { longestBusyStretches, type CpuProfile } from '../lib/busy-stretches';
import { SampleCounter } from '../lib/sample-counter';
import { readCpuClock, readWindows } from '../lib/preload-windows';
import { RecordingHub } from './recording-hub';

/** One monitor under measurement, started fresh for one round. */
export interface RunningSubject {
  process: MeasuredProcess;
  samples: SampleCounter;
  /** Bytes it sent to its collector so far; null where it sends nothing (a local-only tool). */
  bytesSent(): number | null;
  /** Extra per-round figures: payload sizes, event-loop windows. */
  details(fromMs: number, toMs: number): Record<string, unknown>;
  /** Every process it started, companions (an agent's twins) included: their CPU is the benchmark's, not other work. */
  started(): MeasuredProcess[];
  stop(): Promise<void>;
}

export interface SubjectContext {
  intervalS: number;
  /** Names its cgroups apart from other rounds': `r0`, `r1`, ..., `concurrent`. */
  tag: string;
  /** The agent's twins, known task and idle monitor beside it (event-loop figures); off in the concurrent window. */
  monitors: boolean;
  workDir: string;
  cgroups: CgroupRoot;
  cleanup: Cleanup;
}

export interface Subject {
  name: string;
  /** Why it cannot run here, or null. */
  unavailable(): string | null;
  start(context: SubjectContext): Promise<RunningSubject>;
}

const PRELOAD = path.join(__dirname, '..', 'lib', 'loop-delay.preload.js');
const TASK_PRELOAD = path.join(__dirname, 'longest-task.preload.js');
const KNOWN_TASK = path.join(__dirname, 'known-task.js');
const AGENT_MAIN = path.join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');

const PROFILE_INTERVAL_US = 250;

/**
 * The longest busy stretch of each whole tick between skipMs and skipMs +
 * spanMs of the profile the process left in dir when it exited. The
 * profile's clock starts when the process does, a few ms after it was
 * spawned: well inside a tick.
 */
function readBusyStretches(dir: string, tickMs: number, skipMs: number, spanMs: number): number[] {
  try {
    const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) return [];
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    return longestBusyStretches(profile, tickMs, skipMs).slice(0, Math.floor(spanMs / tickMs));
  } catch {
    return [];
  }
}

/** The Hostwatch agent as users run it, pushing to a recording stand-in hub over loopback. */
export const hostwatchAgent: Subject = {
  name: 'hostwatch-agent',
  unavailable: () => (fs.existsSync(AGENT_MAIN) ? null : `${AGENT_MAIN} is missing; build with npx tsc -b`),
  async start(context) {
    const dir = fs.mkdtempSync(path.join(context.workDir, 'agent-'));
    const samples = new SampleCounter();
    // With the agent's own node flags (AGENT_NODE_FLAGS), as the README, npm run agent and single-host mode start it.
    const nodeFlags = agentLaunch().nodeFlags;
    const agentArgs = (url: string, hostId: string) => [
      ...nodeFlags,
      AGENT_MAIN,
      '--hub',
      url,
      '--token',
      'bench-token',
      '--interval',
      String(context.intervalS),
      '--host-id',
      hostId,
      '--spool-dir',
      path.join(dir, `${hostId}-spool`),
      '--key-file',
      path.join(dir, `${hostId}.key`),
    ];
    // The measured agent runs as users run it: the delay monitor's 1 ms timer would cost more CPU than a sample.
    const hub = new RecordingHub();
    hub.onSnapshot = () => samples.tick();
    const proc = spawnMeasured(
      process.execPath,
      agentArgs(await hub.listen(), 'bench-agent'),
      { name: `agent-${context.intervalS}s-${context.tag}`, logFile: path.join(dir, 'agent.log') },
      context.cgroups,
      context.cleanup,
    );
    const monitors = context.monitors ? await startMonitors(context, dir, agentArgs, nodeFlags) : null;
    let jsonFrom = 0;
    let jsonTo = 0;
    let wireFrom = 0;
    let wireTo = 0;
    return {
      process: proc,
      samples,
      bytesSent: () => hub.bytesReceived(),
      details(fromMs, toMs) {
        return {
          ...(monitors ? monitors.details(fromMs, toMs) : {}),
          snapshotJsonBytes: hub.snapshotJsonBytes.slice(jsonFrom, jsonTo),
          snapshotWireBytes: hub.snapshotFrameBytes.slice(wireFrom, wireTo),
          invalidSnapshots: hub.invalid + (monitors?.invalid() ?? 0),
        };
      },
      started: () => [proc, ...(monitors?.processes ?? [])],
      async stop() {
        jsonFrom = 2;
        jsonTo = hub.snapshotJsonBytes.length;
        wireFrom = 2;
        wireTo = hub.snapshotFrameBytes.length;
        await Promise.all([proc.stop(), ...(monitors?.processes ?? []).map((p) => p.stop())]);
        await Promise.all([hub.close(), ...(monitors?.hubs ?? []).map((h) => h.close())]);
      },
    };
  },
};

interface Monitors {
  processes: MeasuredProcess[];
  hubs: RecordingHub[];
  invalid(): number;
  details(fromMs: number, toMs: number): Record<string, unknown>;
}

/**
 * The measured agent's twins, at the same time and the same interval, carry
 * the monitors: the event-loop figures come from them. One is timed task by
 * task (async hooks) beside a 1 ms delay timer; the other, profiled every
 * 250 us, shows how long its main thread ran without a break. Apart, because
 * the profiler's interrupts lengthen every task. Beside them, a control with
 * fixed work per tick and an idle Node process as the floor.
 */
async function startMonitors(
  context: SubjectContext,
  dir: string,
  agentArgs: (url: string, hostId: string) => string[],
  nodeFlags: readonly string[],
): Promise<Monitors> {
  /** The environment of a process with the preloads: where each writes its figures, per tick. */
  const monitorEnv = (files: { loop?: string; task?: string }) => ({
    ...process.env,
    HOSTWATCH_BENCH_LOOP_WINDOW_MS: String(context.intervalS * 1000),
    ...(files.loop ? { HOSTWATCH_BENCH_LOOP_FILE: files.loop } : {}),
    ...(files.task ? { HOSTWATCH_BENCH_TASK_FILE: files.task } : {}),
  });
  const twinHub = new RecordingHub();
  const loopFile = path.join(dir, 'loop.json');
  const taskFile = path.join(dir, 'tasks.json');
  const twin = spawnMeasured(
    process.execPath,
    ['--require', PRELOAD, '--require', TASK_PRELOAD, ...agentArgs(await twinHub.listen(), 'bench-agent-twin')],
    { name: `agent-twin-${context.intervalS}s-${context.tag}`, env: monitorEnv({ loop: loopFile, task: taskFile }), logFile: path.join(dir, 'agent-twin.log') },
    context.cgroups,
    context.cleanup,
  );
  const profiledHub = new RecordingHub();
  const profileDir = path.join(dir, 'twin-profile');
  const profiledStartedAt = Date.now();
  const profiled = spawnMeasured(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-interval=${PROFILE_INTERVAL_US}`,
      ...agentArgs(await profiledHub.listen(), 'bench-agent-profiled'),
    ],
    { name: `agent-profiled-${context.intervalS}s-${context.tag}`, logFile: path.join(dir, 'agent-profiled.log') },
    context.cgroups,
    context.cleanup,
  );
  // The control: a fixed piece of work per tick under the same task monitor (known-task.ts).
  const knownTaskFile = path.join(dir, 'known-tasks.json');
  const known = spawnMeasured(
    process.execPath,
    [...nodeFlags, '--require', TASK_PRELOAD, KNOWN_TASK],
    { name: `known-task-${context.intervalS}s-${context.tag}`, env: monitorEnv({ task: knownTaskFile }) },
    context.cgroups,
    context.cleanup,
  );
  // The floor: the same monitor in a Node process with nothing to do.
  const idleLoopFile = path.join(dir, 'idle-loop.json');
  const idle = spawnMeasured(
    process.execPath,
    ['--require', PRELOAD, '-e', "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1e9);"],
    { name: `idle-node-${context.intervalS}s-${context.tag}`, env: monitorEnv({ loop: idleLoopFile }) },
    context.cgroups,
    context.cleanup,
  );
  return {
    processes: [twin, profiled, known, idle],
    hubs: [twinHub, profiledHub],
    invalid: () => twinHub.invalid + profiledHub.invalid,
    details: (fromMs, toMs) => ({
      loopMaxPerTickMs: readWindows(loopFile, fromMs, toMs),
      longestTaskCpuPerTickMs: readWindows(taskFile, fromMs, toMs, 2),
      longestTaskWallPerTickMs: readWindows(taskFile, fromMs, toMs, 1),
      taskCpuClock: readCpuClock(taskFile),
      busyStretchPerTickMs: readBusyStretches(profileDir, context.intervalS * 1000, fromMs - profiledStartedAt, toMs - fromMs),
      knownTaskCpuPerTickMs: readWindows(knownTaskFile, fromMs, toMs, 2),
      knownTaskWallPerTickMs: readWindows(knownTaskFile, fromMs, toMs, 1),
      idleLoopMaxPerWindowMs: readWindows(idleLoopFile, fromMs, toMs),
    }),
  };
}

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

/** Prometheus' node_exporter from Debian, with its default collectors, scraped like Prometheus does (gzip). */
export const nodeExporter: Subject = {
  name: 'node_exporter',
  unavailable: () => (fs.existsSync(NODE_EXPORTER) ? null : `${NODE_EXPORTER} is missing (apt-get install prometheus-node-exporter)`),
  async start(context) {
    const port = await freePort();
    const proc = spawnMeasured(
      NODE_EXPORTER,
      [`--web.listen-address=127.0.0.1:${port}`],
      { name: `node-exporter-${context.intervalS}s-${context.tag}` },
      context.cgroups,
      context.cleanup,
    );
    const url = `http://127.0.0.1:${port}/metrics`;
    await waitForHttp(`http://127.0.0.1:${port}/`, 15_000, () => proc.child.exitCode === null);
    const samples = new SampleCounter();
    let wireBytes = 0;
    const bodyBytes: number[] = [];
    const scrape = () => {
      const request = http.get(url, { headers: { 'Accept-Encoding': 'gzip', Accept: 'text/plain;version=0.0.4' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          wireBytes += raw.length;
          const gzip = response.headers['content-encoding'] === 'gzip';
          bodyBytes.push(gzip ? gunzipSync(raw).length : raw.length);
          samples.tick();
        });
      });
      request.on('error', () => undefined);
    };
    scrape();
    const timer = setInterval(scrape, context.intervalS * 1000);
    return {
      process: proc,
      samples,
      bytesSent: () => wireBytes,
      details: () => ({ scrapeBodyBytesUncompressed: bodyBytes.slice(2) }),
      started: () => [proc],
      async stop() {
        clearInterval(timer);
        await proc.stop();
      },
    };
  },
};

const GLANCES = '/usr/bin/glances';

/** Glances from Debian without its UI: --stdout prints one line per refresh, which marks each sample. */
export const glances: Subject = {
  name: 'glances',
  unavailable: () => (fs.existsSync(GLANCES) ? null : `${GLANCES} is missing (apt-get install glances)`),
  async start(context) {
    const dir = fs.mkdtempSync(path.join(context.workDir, 'glances-'));
    const proc = spawnMeasured(
      GLANCES,
      ['--stdout', 'cpu.total', '-t', String(context.intervalS)],
      // Unbuffered, so that each refresh's line arrives when it is made; HOME keeps its log out of the user's.
      { name: `glances-${context.intervalS}s-${context.tag}`, env: { ...process.env, PYTHONUNBUFFERED: '1', HOME: dir }, pipeStdout: true, cwd: dir },
      context.cgroups,
      context.cleanup,
    );
    const samples = new SampleCounter();
    let pending = '';
    proc.child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('cpu.total')) samples.tick();
    });
    return {
      process: proc,
      samples,
      bytesSent: () => null,
      details: () => ({}),
      started: () => [proc],
      stop: () => proc.stop(),
    };
  },
};

/** Installs the Debian packages of the peers when absent; says what it did. */
export function installPeers(log: (line: string) => void): void {
  const missing = [
    { bin: NODE_EXPORTER, pkg: 'prometheus-node-exporter' },
    { bin: GLANCES, pkg: 'glances' },
  ].filter(({ bin }) => !fs.existsSync(bin));
  if (missing.length === 0) return;
  const packages = missing.map(({ pkg }) => pkg);
  log(`Installing ${packages.join(' and ')} with apt-get (absent on this machine)...`);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'ignore', env });
    log(`Installed ${packages.join(' and ')}.`);
  } catch (error) {
    log(`Could not install ${packages.join(' and ')} (${error instanceof Error ? error.message : String(error)}); those peers are skipped.`);
  }
}
