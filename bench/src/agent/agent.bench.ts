import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Cleanup } from '../lib/cleanup';
import { LoadRecorder, loadState, ownCpuUsec, type LoadRecord } from '../lib/machine-load';
import { CgroupRoot } from '../lib/measured-process';
import { fmt, max, median, MIB, quantile, sum } from '../lib/stats';
import { printTable, type Row } from '../lib/table';
import { overheadVerdict, type OverheadVerdict } from './overhead-verdict';
import { glances, hostwatchAgent, installPeers, nodeExporter, type RunningSubject, type Subject } from './subjects';

export interface AgentBenchOptions {
  intervalsS: number[];
  /** Measured seconds per subject and interval, split into rounds. */
  durationS: number;
  roundS: number;
  install: boolean;
}

const WARMUP_S = 15;

interface RoundResult {
  round: number;
  samples: number;
  wallMs: number;
  cpuMs: number;
  cpuMsPerSample: number;
  corePercent: number;
  rssMiB: { median: number; max: number };
  bytesPerSample: number | null;
  details: Record<string, unknown>;
  load: LoadRecord;
}

interface CaseSummary {
  subject: string;
  intervalS: number;
  meter: string;
  rounds: RoundResult[];
  cpuMsPerSampleMedian: number;
  cpuMsPerSamplePooled: number;
  corePercentMedian: number;
  rssMiBMax: number;
  bytesPerSampleMedian: number | null;
  loopMaxPerTickMs?: { p50: number; p99: number; max: number; windows: number };
  /** The longest run of the main thread without a break, per tick, from the twin's CPU profile. */
  busyStretchPerTickMs?: { p50: number; p99: number; max: number; ticks: number };
  idleLoopMaxPerWindowMs?: { p50: number; p99: number; max: number };
  /** The twin's longest task per tick, in CPU time (of `taskCpuClock`) and in wall time (longest-task.preload). */
  longestTaskCpuPerTickMs?: { p50: number; p99: number; max: number; ticks: number };
  longestTaskWallPerTickMs?: { p50: number; p99: number; max: number; ticks: number };
  /** The control's longest task per tick: the same fixed work each tick, under the same monitor (known-task.ts). */
  knownTaskCpuPerTickMs?: { p50: number; p99: number; max: number; ticks: number };
  knownTaskWallPerTickMs?: { p50: number; p99: number; max: number; ticks: number };
  /** Whose CPU time the task figures are: 'main thread' (what blocks the loop) or, without the addon, 'process'. */
  taskCpuClock?: string;
  snapshotJsonBytesMedian?: number;
  /** A snapshot's compressed WebSocket frame, header included. */
  snapshotWireBytesMedian?: number;
  scrapeBodyBytesMedian?: number;
}

/** What the benchmark itself runs, for the load recorder: every process of these subjects and its own. */
function benchProbe(running: readonly RunningSubject[]) {
  const processes = () => running.flatMap((r) => r.started());
  return {
    benchCpuUsec: () => ownCpuUsec() + sum(processes().map((p) => p.cpuUsec())),
    benchPids: () => processes().flatMap((p) => p.pids()),
  };
}

async function measureRound(
  subject: Subject,
  intervalS: number,
  round: number,
  roundS: number,
  workDir: string,
  cgroups: CgroupRoot,
  cleanup: Cleanup,
): Promise<RoundResult> {
  const running = await subject.start({ intervalS, tag: `r${round}`, monitors: true, workDir, cgroups, cleanup });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await running.stop();
  };
  try {
    const sampleTimeout = (count: number) => (count * intervalS + 30) * 1000;
    // Start-up, the first sample's discovery and the young heap's first collections are not what a
    // sample costs: at least two samples and WARMUP_S seconds pass before the window opens.
    const warmup = Math.max(2, Math.ceil(WARMUP_S / intervalS));
    await running.samples.waitFor(warmup, sampleTimeout(warmup), subject.name);
    const n0 = running.samples.count;
    const c0 = running.process.cpuUsec();
    const b0 = running.bytesSent();
    const t0 = Date.now();
    const load = new LoadRecorder(benchProbe([running]));
    const rss: number[] = [running.process.rssBytes()];
    const rssTimer = setInterval(() => rss.push(running.process.rssBytes()), 1000);
    const wanted = Math.max(2, Math.round(roundS / intervalS));
    try {
      await running.samples.waitFor(n0 + wanted, sampleTimeout(wanted), subject.name);
    } finally {
      clearInterval(rssTimer);
    }
    const c1 = running.process.cpuUsec();
    const b1 = running.bytesSent();
    const t1 = Date.now();
    const loadRecord = load.stop();
    const samples = running.samples.count - n0;
    const cpuMs = (c1 - c0) / 1000;
    // Stopped before reading details: the event-loop figures are written when the process exits.
    await stop();
    return {
      round,
      samples,
      wallMs: t1 - t0,
      cpuMs,
      cpuMsPerSample: cpuMs / samples,
      corePercent: (cpuMs / (t1 - t0)) * 100,
      rssMiB: { median: median(rss) / MIB, max: max(rss) / MIB },
      bytesPerSample: b0 === null || b1 === null ? null : (b1 - b0) / samples,
      details: running.details(t0, t1),
      load: loadRecord,
    };
  } finally {
    await stop();
  }
}

interface ConcurrentSubject {
  subject: string;
  samples: number;
  wallMs: number;
  cpuMs: number;
  cpuMsPerSample: number;
  corePercent: number;
  /** CPU per sample over node_exporter's in the same window; null without node_exporter. */
  vsNodeExporter: number | null;
}

/** Every subject at once, side by side in one window, each measured on its own. */
interface ConcurrentWindow {
  intervalS: number;
  durationS: number;
  meter: string;
  load: LoadRecord;
  subjects: ConcurrentSubject[];
}

/**
 * The second method: all subjects started together (the agent without its
 * monitors, as users run it) and measured over the same stretch of time, so
 * that whatever else the machine does hits them all at once rather than in
 * turn. Each subject's window still opens and closes on one of its own
 * samples, so CPU divides by whole samples.
 */
async function measureConcurrent(
  subjects: readonly Subject[],
  intervalS: number,
  durationS: number,
  workDir: string,
  cgroups: CgroupRoot,
  cleanup: Cleanup,
): Promise<ConcurrentWindow> {
  const running: RunningSubject[] = [];
  try {
    for (const subject of subjects) running.push(await subject.start({ intervalS, tag: 'concurrent', monitors: false, workDir, cgroups, cleanup }));
    const sampleTimeout = (count: number) => (count * intervalS + 30) * 1000;
    const warmup = Math.max(2, Math.ceil(WARMUP_S / intervalS));
    await Promise.all(running.map((r, i) => r.samples.waitFor(warmup, sampleTimeout(warmup), subjects[i].name)));
    const load = new LoadRecorder(benchProbe(running));
    const closeAt = Date.now() + durationS * 1000;
    const windows = await Promise.all(
      running.map(async (r, i) => {
        const name = subjects[i].name;
        await r.samples.waitFor(r.samples.count + 1, sampleTimeout(1), name);
        const n0 = r.samples.count;
        const c0 = r.process.cpuUsec();
        const t0 = Date.now();
        await new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, closeAt - t0)));
        await r.samples.waitFor(r.samples.count + 1, sampleTimeout(1), name);
        const cpuMs = (r.process.cpuUsec() - c0) / 1000;
        const wallMs = Date.now() - t0;
        const samples = r.samples.count - n0;
        return {
          subject: name,
          samples,
          wallMs,
          cpuMs,
          cpuMsPerSample: cpuMs / samples,
          corePercent: (cpuMs / wallMs) * 100,
          vsNodeExporter: null as number | null,
        };
      }),
    );
    const loadRecord = load.stop();
    const baseline = windows.find((w) => w.subject === nodeExporter.name);
    for (const w of windows) w.vsNodeExporter = baseline ? w.cpuMsPerSample / baseline.cpuMsPerSample : null;
    return { intervalS, durationS, meter: cgroups.dir ? 'cgroup' : 'proc-tree', load: loadRecord, subjects: windows };
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}

function numbers(rounds: RoundResult[], key: string): number[] {
  return rounds.flatMap((r) => (Array.isArray(r.details[key]) ? (r.details[key] as number[]) : []));
}

function summarize(subject: string, intervalS: number, meter: string, rounds: RoundResult[]): CaseSummary {
  const summary: CaseSummary = {
    subject,
    intervalS,
    meter,
    rounds,
    cpuMsPerSampleMedian: median(rounds.map((r) => r.cpuMsPerSample)),
    cpuMsPerSamplePooled: sum(rounds.map((r) => r.cpuMs)) / sum(rounds.map((r) => r.samples)),
    corePercentMedian: median(rounds.map((r) => r.corePercent)),
    rssMiBMax: max(rounds.map((r) => r.rssMiB.max)),
    bytesPerSampleMedian: rounds.some((r) => r.bytesPerSample === null) ? null : median(rounds.map((r) => r.bytesPerSample ?? 0)),
  };
  const loop = numbers(rounds, 'loopMaxPerTickMs');
  if (loop.length > 0) summary.loopMaxPerTickMs = { p50: median(loop), p99: quantile(loop, 0.99), max: max(loop), windows: loop.length };
  const busy = numbers(rounds, 'busyStretchPerTickMs');
  if (busy.length > 0) summary.busyStretchPerTickMs = { p50: median(busy), p99: quantile(busy, 0.99), max: max(busy), ticks: busy.length };
  for (const key of ['longestTaskCpuPerTickMs', 'longestTaskWallPerTickMs', 'knownTaskCpuPerTickMs', 'knownTaskWallPerTickMs'] as const) {
    const tasks = numbers(rounds, key);
    if (tasks.length > 0) summary[key] = { p50: median(tasks), p99: quantile(tasks, 0.99), max: max(tasks), ticks: tasks.length };
  }
  const clocks = new Set(rounds.map((r) => r.details['taskCpuClock']).filter((clock): clock is string => typeof clock === 'string'));
  if (clocks.size > 0) summary.taskCpuClock = [...clocks].join(' / ');
  const idle = numbers(rounds, 'idleLoopMaxPerWindowMs');
  if (idle.length > 0) summary.idleLoopMaxPerWindowMs = { p50: median(idle), p99: quantile(idle, 0.99), max: max(idle) };
  const json = numbers(rounds, 'snapshotJsonBytes');
  if (json.length > 0) summary.snapshotJsonBytesMedian = median(json);
  const wire = numbers(rounds, 'snapshotWireBytes');
  if (wire.length > 0) summary.snapshotWireBytesMedian = median(wire);
  const body = numbers(rounds, 'scrapeBodyBytesUncompressed');
  if (body.length > 0) summary.scrapeBodyBytesMedian = median(body);
  return summary;
}

/** The snapshot's JSON and its frame on the wire, or the scrape body before gzip. */
function payload(c: CaseSummary): string {
  if (c.snapshotJsonBytesMedian === undefined) return fmt(c.scrapeBodyBytesMedian, 0);
  const wire = c.snapshotWireBytesMedian === undefined ? 'not deflated' : `${fmt(c.snapshotWireBytesMedian, 0)} deflated on the wire`;
  return `${fmt(c.snapshotJsonBytesMedian, 0)} JSON, ${wire}`;
}

/**
 * The agent next to node_exporter and glances, two ways per interval: each
 * started fresh per round, rounds alternating between them so that drift in
 * the machine's other load hits all alike; then all of them side by side in
 * one window, so that the same load hits all at once. CPU of every
 * descendant from each one's own cgroup (or /proc tree), the machine's load
 * beside each figure, and a verdict only as far as both methods carry it.
 */
export async function runAgentBench(options: AgentBenchOptions, cleanup: Cleanup): Promise<Record<string, unknown>> {
  if (options.install) installPeers((line) => console.log(line));
  const subjects = [hostwatchAgent, nodeExporter, glances].filter((subject) => {
    const why = subject.unavailable();
    if (why) console.log(`Skipping ${subject.name}: ${why}`);
    return why === null;
  });
  const cgroups = new CgroupRoot(cleanup);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-agent-'));
  cleanup.add(
    () => fs.rmSync(workDir, { recursive: true, force: true }),
    () => fs.rmSync(workDir, { recursive: true, force: true }),
  );
  const meter = cgroups.describe();
  console.log(
    `Agent overhead: CPU through ${meter}; per interval, ${options.durationS} s per subject in alternating rounds of ${options.roundS} s, then every subject side by side in one window of ${options.durationS} s`,
  );

  const cases: CaseSummary[] = [];
  const concurrent: ConcurrentWindow[] = [];
  for (const intervalS of options.intervalsS) {
    const rounds = Math.max(1, Math.round(options.durationS / options.roundS));
    const roundS = options.durationS / rounds;
    const results = new Map<string, RoundResult[]>(subjects.map((s) => [s.name, []]));
    for (let round = 0; round < rounds; round += 1) {
      // Each round starts with another subject, so none always runs first or last.
      const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]);
      for (const subject of order) {
        process.stdout.write(`  ${intervalS} s interval, round ${round + 1}/${rounds}: ${subject.name}... `);
        const result = await measureRound(subject, intervalS, round, roundS, workDir, cgroups, cleanup);
        results.get(subject.name)!.push(result);
        console.log(
          `${fmt(result.cpuMsPerSample, 2)} ms CPU per sample over ${result.samples} samples; other work ${fmt(result.load.otherBusyPercent, 0)} % of the machine`,
        );
      }
    }
    for (const subject of subjects) {
      cases.push(summarize(subject.name, intervalS, cgroups.dir ? 'cgroup' : 'proc-tree', results.get(subject.name)!));
    }
    process.stdout.write(`  ${intervalS} s interval, concurrent window: ${subjects.map((s) => s.name).join(', ')}... `);
    const window = await measureConcurrent(subjects, intervalS, options.durationS, workDir, cgroups, cleanup);
    concurrent.push(window);
    const perSample = window.subjects.map((w) => `${w.subject} ${fmt(w.cpuMsPerSample, 2)} ms`).join(', ');
    console.log(`${perSample} CPU per sample; other work ${fmt(window.load.otherBusyPercent, 0)} % of the machine (${window.load.state})`);
  }
  const verdicts = options.intervalsS.map((intervalS) =>
    verdictFor(
      intervalS,
      cases,
      concurrent.find((w) => w.intervalS === intervalS),
    ),
  );

  const rows: Row[] = cases.map((c) => {
    const baseline = cases.find((b) => b.subject === 'node_exporter' && b.intervalS === c.intervalS);
    return {
      subject: c.subject,
      interval: `${c.intervalS} s`,
      samples: sum(c.rounds.map((r) => r.samples)),
      'CPU ms/sample (median)': fmt(c.cpuMsPerSampleMedian, 2),
      'vs node_exporter': baseline ? `${fmt(c.cpuMsPerSamplePooled / baseline.cpuMsPerSamplePooled, 2)}x` : '-',
      'concurrent: CPU ms/sample, vs node_exporter': concurrentCell(concurrent, c),
      '% of one core': fmt(c.corePercentMedian, 3),
      'RSS MiB (max)': fmt(c.rssMiBMax, 1),
      'bytes sent/sample': c.bytesPerSampleMedian === null ? 'n/a' : fmt(c.bytesPerSampleMedian, 0),
      'payload bytes': payload(c),
      'longest task/tick p99 ms (CPU)': fmt(c.longestTaskCpuPerTickMs?.p99, 1),
      'task max ms (CPU / wall)': c.longestTaskCpuPerTickMs ? `${fmt(c.longestTaskCpuPerTickMs.max, 1)} / ${fmt(c.longestTaskWallPerTickMs?.max, 1)}` : '-',
      'known task/tick p50 / p99 / max ms (CPU)': c.knownTaskCpuPerTickMs
        ? `${fmt(c.knownTaskCpuPerTickMs.p50, 1)} / ${fmt(c.knownTaskCpuPerTickMs.p99, 1)} / ${fmt(c.knownTaskCpuPerTickMs.max, 1)}`
        : '-',
      'busy stretch/tick p99 ms': fmt(c.busyStretchPerTickMs?.p99, 1),
      'busy max ms': fmt(c.busyStretchPerTickMs?.max, 1),
      'loop delay/tick p99 ms': fmt(c.loopMaxPerTickMs?.p99, 1),
      'idle floor p99 ms': fmt(c.idleLoopMaxPerWindowMs?.p99, 1),
    };
  });
  printTable('Agent overhead (CPU includes every child process; bytes on the wire per sample; event-loop blocking per tick)', rows);
  const clocks = [...new Set(cases.map((c) => c.taskCpuClock).filter((clock) => clock !== undefined))].join(' / ');
  const cpuTime = clocks === '' ? 'CPU time' : `CPU time (of the ${clocks})`;
  console.log(
    `  longest task: the longest a twin agent (run beside the measured one) ran one callback with the promise jobs after it (async hooks), in ${cpuTime} and in wall time`,
  );
  console.log(
    "  known task: the same monitor in a Node process with the agent's flags that does one fixed piece of work per tick (known-task.ts); what it shows beyond its median, the machine added",
  );
  console.log('  busy stretch: the longest time the main thread of a second twin ran without a break in each tick, from its CPU profile sampled every 250 us');
  console.log(
    '  loop delay: the longest delay of a 1 ms timer in the first twin per tick, which also counts time the VM did not run it; idle floor: that monitor in an idle Node process',
  );
  console.log(
    '  payload bytes: hostwatch, the snapshot as JSON and its two frames on the wire (socket.io binary event, raw deflate); node_exporter, the scrape body before gzip',
  );
  printTable(
    'Concurrent window (every subject at once, each in its own cgroup or /proc tree)',
    concurrent.flatMap((w) =>
      w.subjects.map((c) => ({
        subject: c.subject,
        interval: `${w.intervalS} s`,
        samples: c.samples,
        'CPU ms/sample': fmt(c.cpuMsPerSample, 2),
        'vs node_exporter': c.vsNodeExporter === null ? '-' : `${fmt(c.vsNodeExporter, 2)}x`,
        '% of one core': fmt(c.corePercent, 3),
      })),
    ),
  );
  printTable(
    "Machine load during each method (other work: the machine's busy share less the benchmark's own CPU)",
    options.intervalsS.flatMap((i) => loadRows(i, cases, concurrent)),
  );
  printTable(
    "Verdict: the agent's CPU per sample against node_exporter's, as far as both methods support it",
    verdicts.map((v) => ({ interval: `${v.intervalS} s`, claim: v.claim, load: v.load, verdict: v.text })),
  );
  return { meter, cgroupLayout: cgroups.layout, cases, concurrent, verdicts };
}

function concurrentCell(windows: readonly ConcurrentWindow[], c: CaseSummary): string {
  const found = windows.find((w) => w.intervalS === c.intervalS)?.subjects.find((w) => w.subject === c.subject);
  if (!found) return '-';
  return `${fmt(found.cpuMsPerSample, 2)}, ${found.vsNodeExporter === null ? '-' : `${fmt(found.vsNodeExporter, 2)}x`}`;
}

/** The alternating rounds' load: the median round's other work decides whether the method ran on a quiet machine. */
function alternatingLoads(intervalS: number, cases: readonly CaseSummary[]): LoadRecord[] {
  return cases.filter((c) => c.intervalS === intervalS).flatMap((c) => c.rounds.map((r) => r.load));
}

function verdictFor(intervalS: number, cases: readonly CaseSummary[], window: ConcurrentWindow | undefined): OverheadVerdict {
  const pooled = (name: string) => cases.find((c) => c.subject === name && c.intervalS === intervalS)?.cpuMsPerSamplePooled ?? Number.NaN;
  const others = alternatingLoads(intervalS, cases).map((l) => l.otherBusyPercent);
  return overheadVerdict(intervalS, [
    { method: 'alternating', ratio: pooled(hostwatchAgent.name) / pooled(nodeExporter.name), load: loadState(median(others)) },
    {
      method: 'concurrent',
      ratio: window?.subjects.find((w) => w.subject === hostwatchAgent.name)?.vsNodeExporter ?? Number.NaN,
      load: window?.load.state ?? 'loaded',
    },
  ]);
}

/** The busiest other processes, by name, at their largest share in any of the windows. */
function topOthers(loads: readonly LoadRecord[]): string {
  const byName = new Map<string, number>();
  for (const p of loads.flatMap((l) => l.topOthers)) byName.set(p.comm, Math.max(byName.get(p.comm) ?? 0, p.cpuPercent));
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return top.length === 0 ? '-' : top.map(([comm, percent]) => `${comm} ${fmt(percent, 0)} %`).join(', ');
}

function loadRows(intervalS: number, cases: readonly CaseSummary[], windows: readonly ConcurrentWindow[]): Row[] {
  const rounds = alternatingLoads(intervalS, cases);
  const window = windows.find((w) => w.intervalS === intervalS);
  const spread = (values: number[], digits = 0) => `${fmt(median(values), digits)} (max ${fmt(max(values), digits)})`;
  const rows: Row[] = [
    {
      interval: `${intervalS} s`,
      method: `alternating, median of ${rounds.length} windows`,
      'load avg 1 min': spread(
        rounds.map((l) => l.loadAverageEnd[0]),
        2,
      ),
      'machine busy %': spread(rounds.map((l) => l.machineBusyPercent)),
      'other work %': spread(rounds.map((l) => l.otherBusyPercent)),
      processes: spread(rounds.map((l) => l.processes)),
      'busiest others (% of one core)': topOthers(rounds),
      load: loadState(median(rounds.map((l) => l.otherBusyPercent))),
    },
  ];
  if (window) {
    const l = window.load;
    rows.push({
      interval: `${intervalS} s`,
      method: 'concurrent, one window',
      'load avg 1 min': `${fmt(l.loadAverageStart[0], 2)} -> ${fmt(l.loadAverageEnd[0], 2)}`,
      'machine busy %': fmt(l.machineBusyPercent, 0),
      'other work %': fmt(l.otherBusyPercent, 0),
      processes: l.processes,
      'busiest others (% of one core)': topOthers([l]),
      load: l.state,
    });
  }
  return rows;
}
