import * as fs from 'node:fs';
import * as os from 'node:os';
import { CLK_TCK, readAllStats } from './proc';

/**
 * Other work at or above this share of the machine's cores makes a window
 * 'loaded'. Half a core on this 2-core machine: the agent and node_exporter
 * each use a small fraction of a core even at 1 s (docs/BENCHMARKS.md,
 * "1. Agent overhead"), so a build beside them is many times their size,
 * while a quiet machine's background (systemd, the VM's agents) stays far
 * below it.
 */
export const LOADED_OTHER_PERCENT = 25;

/** The machine's CPU time in µs, summed over every core, from the first line of /proc/stat. */
export interface MachineCpu {
  busyUsec: number;
  totalUsec: number;
}

/**
 * Busy is user, nice, system, irq, softirq and steal (time the VM wanted a
 * core and did not get it); idle and iowait are not. Guest time is already
 * inside user and nice, so it is left out of the total.
 */
export function parseMachineCpu(procStat: string): MachineCpu {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  const toUsec = (ticks: number) => (ticks * 1e6) / CLK_TCK;
  return { busyUsec: toUsec(busy), totalUsec: toUsec(busy + idle + iowait) };
}

/** Share of all cores that were busy between two readings, in % (100 = every core busy the whole time). */
export function busyPercent(from: MachineCpu, to: MachineCpu): number {
  const total = to.totalUsec - from.totalUsec;
  return total > 0 ? ((to.busyUsec - from.busyUsec) / total) * 100 : Number.NaN;
}

interface ProcessCpu {
  comm: string;
  cpuUsec: number;
}

/** Own user + system time of every living process, by pid. */
function sweepProcesses(): Map<number, ProcessCpu> {
  return new Map(readAllStats().map((s) => [s.pid, { comm: s.comm, cpuUsec: s.ownCpuUsec }]));
}

export interface OtherProcess {
  pid: number;
  comm: string;
  /** Of one core, over the window. */
  cpuPercent: number;
}

/** The machine's load over one measurement window. */
export interface LoadRecord {
  spanMs: number;
  cores: number;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  /** Every core's busy share over the window, from /proc/stat, in % of all cores. */
  machineBusyPercent: number;
  /** The same less the benchmark's own CPU (its process and everything it measured), in % of all cores. */
  otherBusyPercent: number;
  /** Processes on the machine at the window's end. */
  processes: number;
  /** The busiest processes outside the benchmark that lived through the whole window. */
  topOthers: OtherProcess[];
  state: 'quiet' | 'loaded';
}

/** A window whose other work could not be told is not called quiet. */
export function loadState(otherBusyPercent: number): 'quiet' | 'loaded' {
  return otherBusyPercent < LOADED_OTHER_PERCENT ? 'quiet' : 'loaded';
}

export interface LoadProbe {
  /** CPU in µs, so far, of everything the benchmark runs (its own process included). */
  benchCpuUsec(): number;
  /** The pids the benchmark runs now, left out of the top list. */
  benchPids(): Iterable<number>;
}

/**
 * Records what else the machine did while a measurement ran: its load
 * average, its busy share from /proc/stat, and the busiest other processes.
 */
export class LoadRecorder {
  private readonly startedAt = Date.now();
  private readonly cpu0 = parseMachineCpu(fs.readFileSync('/proc/stat', 'utf8'));
  private readonly load0 = os.loadavg();
  private readonly procs0 = sweepProcesses();
  private readonly bench0: number;

  constructor(private readonly probe: LoadProbe) {
    this.bench0 = probe.benchCpuUsec();
  }

  stop(): LoadRecord {
    const cpu1 = parseMachineCpu(fs.readFileSync('/proc/stat', 'utf8'));
    const bench1 = this.probe.benchCpuUsec();
    const spanMs = Date.now() - this.startedAt;
    const procs1 = sweepProcesses();
    const cores = os.cpus().length;
    const machineBusyPercent = busyPercent(this.cpu0, cpu1);
    const total = cpu1.totalUsec - this.cpu0.totalUsec;
    const other = total > 0 ? Math.max(0, ((cpu1.busyUsec - this.cpu0.busyUsec - (bench1 - this.bench0)) / total) * 100) : Number.NaN;
    const ours = new Set(this.probe.benchPids());
    ours.add(process.pid);
    const topOthers: OtherProcess[] = [];
    for (const [pid, now] of procs1) {
      const before = this.procs0.get(pid);
      if (!before || before.comm !== now.comm || ours.has(pid)) continue;
      const used = now.cpuUsec - before.cpuUsec;
      if (used > 0) topOthers.push({ pid, comm: now.comm, cpuPercent: (used / 1000 / spanMs) * 100 });
    }
    topOthers.sort((a, b) => b.cpuPercent - a.cpuPercent);
    return {
      spanMs,
      cores,
      loadAverageStart: this.load0,
      loadAverageEnd: os.loadavg(),
      machineBusyPercent,
      otherBusyPercent: other,
      processes: procs1.size,
      topOthers: topOthers.slice(0, 5),
      state: loadState(other),
    };
  }
}

/** The bench process's own CPU in µs (its recording hubs and scrapes). */
export function ownCpuUsec(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
