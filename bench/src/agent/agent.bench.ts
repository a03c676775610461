import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Cleanup } from '../lib/cleanup';
import { CgroupRoot } from '../lib/measured-process';
import { fmt, max, median, MIB, quantile, sum } from '../lib/stats';
import { printTable, type Row } from '../lib/table';
import { glances, hostwatchAgent, installPeers, nodeExporter, type Subject } from './subjects';

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

async function measureRound(subject: Subject, intervalS: number, round: number, roundS: number, workDir: string, cgroups: CgroupRoot, cleanup: Cleanup): Promise<RoundResult> {
  const running = await subject.start({ intervalS, round, workDir, cgroups, cleanup });
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
    };
  } finally {
    await stop();
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
 * The agent next to node_exporter and glances: each started fresh per round,
 * rounds alternating between them so that drift in the machine's other load
 * hits all alike; CPU of every descendant from each one's own cgroup.
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
  const meter = cgroups.dir ? `cgroup v2 (${cgroups.dir})` : 'sum over the /proc process tree';
  console.log(`Agent overhead: CPU through ${meter}; ${options.durationS} s per subject and interval in rounds of ${options.roundS} s`);

  const cases: CaseSummary[] = [];
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
        console.log(`${fmt(result.cpuMsPerSample, 2)} ms CPU per sample over ${result.samples} samples`);
      }
    }
    for (const subject of subjects) {
      cases.push(summarize(subject.name, intervalS, cgroups.dir ? 'cgroup' : 'proc-tree', results.get(subject.name)!));
    }
  }

  const rows: Row[] = cases.map((c) => {
    const baseline = cases.find((b) => b.subject === 'node_exporter' && b.intervalS === c.intervalS);
    return {
      subject: c.subject,
      interval: `${c.intervalS} s`,
      'samples': sum(c.rounds.map((r) => r.samples)),
      'CPU ms/sample (median)': fmt(c.cpuMsPerSampleMedian, 2),
      'vs node_exporter': baseline ? `${fmt(c.cpuMsPerSamplePooled / baseline.cpuMsPerSamplePooled, 2)}x` : '-',
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
  console.log(`  longest task: the longest a twin agent (run beside the measured one) ran one callback with the promise jobs after it (async hooks), in ${cpuTime} and in wall time`);
  console.log('  known task: the same monitor in a Node process with the agent\'s flags that does one fixed piece of work per tick (known-task.ts); what it shows beyond its median, the machine added');
  console.log('  busy stretch: the longest time the main thread of a second twin ran without a break in each tick, from its CPU profile sampled every 250 us');
  console.log('  loop delay: the longest delay of a 1 ms timer in the first twin per tick, which also counts time the VM did not run it; idle floor: that monitor in an idle Node process');
  console.log('  payload bytes: hostwatch, the snapshot as JSON and its two frames on the wire (socket.io binary event, raw deflate); node_exporter, the scrape body before gzip');
  return { meter, cases };
}
