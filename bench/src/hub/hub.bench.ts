import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { sleep, type Cleanup } from '../lib/cleanup';
import { CgroupRoot } from '../lib/measured-process';
import { readWindows } from '../lib/preload-windows';
import { fmt, max, median, MIB, quantile } from '../lib/stats';
import { printTable, type Row } from '../lib/table';
import { HISTORY_FILE, startBenchHub, type BenchHub } from './hub-process';
import { LoadGenerator, type MergedReport } from './load-generator';
import { readCollections, SLOW_ACK_MS, summariseStalls, type Stalls } from './stalls';

export interface HubBenchOptions {
  agentCounts: number[];
  durationS: number;
  intervalS: number;
  rampAgents: number;
  rampStepS: number;
}

/** Bytes the history database holds now (WAL frames included, free pages not), read beside the running hub. */
export function historyBytes(dataDir: string): number {
  const file = path.join(dataDir, HISTORY_FILE);
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  } finally {
    db.close();
  }
}

interface Window {
  offeredPerS: number;
  snapshotsPerS: number;
  sent: number;
  acked: number;
  failed: number;
  lost: number;
  failCodes: Record<string, number>;
  ackMs: { p50: number; p99: number; max: number };
  hubCorePercent: number;
  hubRssMiB: { median: number; max: number };
  loadGeneratorCorePercent: number;
  historyBytesGrowth: number;
  windowS: number;
  /** When the window began and ended, ms since the epoch. */
  fromMs: number;
  toMs: number;
  /** Acks over SLOW_ACK_MS: when each came back and its latency. */
  slowAcks: Array<[number, number]>;
  /** Simulated agents still connected when the window closed (they do not reconnect). */
  connectedAtEnd: number;
}

/** Measures one steady window: the generator's counts since the last reset, the hub's CPU and RSS, the history's growth. */
async function measureWindow(hub: BenchHub, load: LoadGenerator, seconds: number, offeredPerS: number): Promise<Window> {
  await load.report(true);
  const h0 = historyBytes(hub.dataDir);
  const c0 = hub.process.cpuUsec();
  const l0 = load.cpuUsec();
  const t0 = Date.now();
  const rss: number[] = [];
  const timer = setInterval(() => rss.push(hub.process.rssBytes()), 1000);
  await sleep(seconds * 1000);
  clearInterval(timer);
  const report: MergedReport = await load.report(true);
  const wallMs = Date.now() - t0;
  const cpu = hub.process.cpuUsec() - c0;
  const loadCpu = load.cpuUsec() - l0;
  const h1 = historyBytes(hub.dataDir);
  return {
    offeredPerS,
    snapshotsPerS: report.acked / (wallMs / 1000),
    sent: report.sent,
    acked: report.acked,
    failed: report.failed,
    lost: report.lost,
    failCodes: report.failCodes,
    ackMs: { p50: median(report.latenciesMs), p99: quantile(report.latenciesMs, 0.99), max: max(report.latenciesMs) },
    hubCorePercent: (cpu / 1000 / wallMs) * 100,
    hubRssMiB: { median: median(rss) / MIB, max: max(rss) / MIB },
    loadGeneratorCorePercent: (loadCpu / 1000 / wallMs) * 100,
    historyBytesGrowth: h1 - h0,
    windowS: wallMs / 1000,
    fromMs: t0,
    toMs: t0 + wallMs,
    slowAcks: report.slowAcks,
    connectedAtEnd: report.connected,
  };
}

/** Runs body against a fresh hub and load generator; resolves once both are stopped, with the hub's stall files written. */
async function withHub<T>(
  name: string,
  workDir: string,
  workers: number,
  cgroups: CgroupRoot,
  cleanup: Cleanup,
  body: (hub: BenchHub, load: LoadGenerator) => Promise<T>,
): Promise<{ result: T; hub: BenchHub }> {
  const dataDir = path.join(workDir, name, 'data');
  const hub = await startBenchHub(`hub-${name}`, dataDir, cgroups, cleanup);
  const load = await LoadGenerator.start(`load-${name}`, workers, path.join(workDir, `load-${name}.log`), cgroups, cleanup);
  try {
    return { result: await body(hub, load), hub };
  } finally {
    await load.stop();
    await hub.stop();
  }
}

/** What held the hub's main thread in the window, from the files its preloads wrote when it stopped. */
function stallsOf(hub: BenchHub, window: Window): Stalls {
  return summariseStalls(readCollections(hub.gcFile), readWindows(hub.loopFile, window.fromMs, window.toMs), window.slowAcks, window.fromMs, window.toMs);
}

async function connectAll(hub: BenchHub, load: LoadGenerator, count: number, intervalMs: number): Promise<void> {
  const started = Date.now();
  const result = await load.connect(hub.url, hub.token, 'bench-host', count, intervalMs);
  const took = (Date.now() - started) / 1000;
  console.log(
    `  ${result.connected} of ${count} agents connected in ${fmt(took, 1)} s${result.errorCount > 0 ? `; ${result.errorCount} refused, e.g. ${result.errors.join('; ')}` : ''}`,
  );
  if (result.connected < count) throw new Error(`only ${result.connected} of ${count} simulated agents connected`);
}

/**
 * The real hub with history on, driven by simulated agents from worker
 * processes: steady N agents at the issue's 10 s interval, then a ramp of
 * rising snapshot rates to find the highest one the hub sustains.
 */
export async function runHubBench(options: HubBenchOptions, cleanup: Cleanup): Promise<Record<string, unknown>> {
  const cgroups = new CgroupRoot(cleanup);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-hub-'));
  cleanup.add(
    () => fs.rmSync(workDir, { recursive: true, force: true }),
    () => fs.rmSync(workDir, { recursive: true, force: true }),
  );
  console.log(`Hub ingest: the real hub (history on, data in ${workDir}); per-address connection cap and host cap lifted for loopback load`);
  const steady: Array<
    Omit<Window, 'slowAcks'> & { agents: number; bytesPerHostPerDay: number; missingAfterDrain: number; totals: MergedReport['totals']; stalls: Stalls }
  > = [];
  for (const agents of options.agentCounts) {
    const intervalMs = options.intervalS * 1000;
    const workers = Math.max(1, Math.min(4, Math.ceil(agents / 2500)));
    console.log(`N = ${agents} agents at ${options.intervalS} s (${workers} load worker${workers > 1 ? 's' : ''})`);
    const { result: window, hub } = await withHub(`n${agents}`, workDir, workers, cgroups, cleanup, async (hub, load) => {
      await connectAll(hub, load, agents, intervalMs);
      await load.setRate(intervalMs);
      // One whole interval first, so every agent has sent and the history has its hosts and series.
      await sleep(intervalMs + 2000);
      const window = await measureWindow(hub, load, options.durationS, agents / options.intervalS);
      await load.setRate(null);
      const drained = await load.drain(35_000);
      const missing = drained.totals.sent - drained.totals.acked - drained.totals.failed;
      return {
        ...window,
        agents,
        bytesPerHostPerDay: (window.historyBytesGrowth / agents / window.windowS) * 86_400,
        missingAfterDrain: missing,
        totals: drained.totals,
      };
    });
    // The slow acks' times have served their purpose once counted; the result keeps the counts.
    const { slowAcks: _slowAcks, ...result } = { ...window, stalls: stallsOf(hub, window) };
    steady.push(result);
    console.log(
      `  ${fmt(result.snapshotsPerS, 0)} snapshots/s, ack p99 ${fmt(result.ackMs.p99, 1)} ms, hub ${fmt(result.hubCorePercent, 1)} % of a core, RSS ${fmt(result.hubRssMiB.max, 0)} MiB`,
    );
    const st = result.stalls;
    console.log(
      `  hub main thread: ${st.fullCollections} full collection(s) (pause max ${fmt(st.fullPauseMaxMs, 1)} ms), ${st.youngCollections} young (mean ${fmt(st.youngPauseMeanMs, 1)}, max ${fmt(st.youngPauseMaxMs, 1)} ms); ` +
        `longest loop delay per second p50 ${fmt(st.loopDelayPerSecondMs.p50, 0)}, max ${fmt(st.loopDelayPerSecondMs.max, 0)} ms; ` +
        `${st.slowAcks} acks over ${SLOW_ACK_MS} ms, ${st.slowAcksNearFullCollection} of them near a full collection`,
    );
  }

  // The ramp: a fixed set of agents sending ever faster; a step is sustained when
  // (nearly) every offered snapshot is acked, none fails, and p99 stays under a second.
  const ramp: Array<Omit<Window, 'slowAcks'>> = [];
  let ceiling = 0;
  if (options.rampAgents > 0)
    await withHub('ramp', workDir, 2, cgroups, cleanup, async (hub, load) => {
      console.log(`Ramp: ${options.rampAgents} agents, ${options.rampStepS} s per step`);
      await connectAll(hub, load, options.rampAgents, 1000);
      for (const offered of [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000]) {
        await load.setRate(Math.round((options.rampAgents / offered) * 1000));
        await sleep(3000);
        const { slowAcks: _slowAcks, ...window } = await measureWindow(hub, load, options.rampStepS, offered);
        ramp.push(window);
        const sustained = window.failed === 0 && window.lost === 0 && window.snapshotsPerS >= 0.95 * offered && window.ackMs.p99 <= 1000;
        console.log(
          `  offered ${offered}/s: acked ${fmt(window.snapshotsPerS, 0)}/s, p99 ${fmt(window.ackMs.p99, 1)} ms, hub ${fmt(window.hubCorePercent, 0)} %, load generator ${fmt(window.loadGeneratorCorePercent, 0)} %${sustained ? '' : ' - not sustained'}`,
        );
        if (!sustained) break;
        ceiling = window.snapshotsPerS;
      }
      await load.setRate(null);
      await load.drain(35_000);
    });

  const rows: Row[] = steady.map((s) => ({
    agents: s.agents,
    'snapshots/s': fmt(s.snapshotsPerS, 0),
    'ack p50 ms': fmt(s.ackMs.p50, 1),
    'ack p99 ms': fmt(s.ackMs.p99, 1),
    'ack max ms': fmt(s.ackMs.max, 1),
    'hub % core': fmt(s.hubCorePercent, 1),
    'hub RSS MiB': fmt(s.hubRssMiB.max, 0),
    'load gen % core': fmt(s.loadGeneratorCorePercent, 0),
    'SQLite B/host/day': fmt(s.bytesPerHostPerDay, 0),
    'connected at end': s.connectedAtEnd,
    'failed acks': s.totals.failed,
    'missing acks': s.missingAfterDrain,
    'full GCs': s.stalls.fullCollections,
    'loop delay/s max ms': fmt(s.stalls.loopDelayPerSecondMs.max, 0),
    [`acks >${SLOW_ACK_MS} ms (near full GC)`]: `${s.stalls.slowAcks} (${s.stalls.slowAcksNearFullCollection})`,
  }));
  printTable(`Hub ingest at a ${options.intervalS} s interval (${options.durationS} s windows; the load generator shares the machine)`, rows);
  printTable(
    'Ramp',
    ramp.map((w) => ({
      'offered/s': w.offeredPerS,
      'acked/s': fmt(w.snapshotsPerS, 0),
      'ack p50 ms': fmt(w.ackMs.p50, 1),
      'ack p99 ms': fmt(w.ackMs.p99, 1),
      'hub % core': fmt(w.hubCorePercent, 0),
      'load gen % core': fmt(w.loadGeneratorCorePercent, 0),
      failed: w.failed,
      lost: w.lost,
    })),
  );
  console.log(`  Highest sustained: ${fmt(ceiling, 0)} snapshots/s`);
  return { steady, ramp, ceilingSnapshotsPerS: ceiling };
}
