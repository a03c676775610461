import { join } from 'node:path';
import type { ProcessInfo, ProcessMetrics } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import { parseAuxv, USUAL_KERNEL_UNITS, type KernelUnits } from '../../linux/auxv.util';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { parsePasswd } from '../../linux/passwd.util';
import { SlicedSyncReader, type SweepReader } from '../../linux/sliced-reader.util';
import { listDirectory, ownerOf, readBinaryFile, readSmallFile, readTextFile } from '../../linux/proc-files.util';
import type { SystemSource } from '../../source/system.source';
import { RefreshingValue } from '../../util/refreshing-value.util';
import { clamp, finiteOrNull, wholeOrZero } from '../../util/sanitize.util';
import { DEFAULT_TOP_PROCESSES, processInfo } from '../processes.probe';
import type { Probe } from '../probe.types';
import { parseMeminfo } from './linux-memory.probe';

/** New accounts are rare; a user added while the agent runs gets its name within this time. */
export const USERS_MAX_AGE_MS = 10 * 60_000;

const MEMORY_TOTAL_MAX_AGE_MS = 60_000;

/** What the listing needs of one /proc/<pid>/stat. */
export interface PidStat {
  pid: number;
  /** The kernel's 15-character name of the program (`comm`). */
  comm: string;
  /** R running, S sleeping, D uninterruptible (blocked on I/O), Z zombie... */
  state: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** Start time in clock ticks since boot; with the pid, it tells a process from a later one that reused the pid. */
  startTicks: number;
  rssPages: number;
}

interface Reading {
  uptimeSeconds: number;
  /** By the probe's clock, when the sweep began: where the interval of a process started since then begins. */
  sweptAt: number;
  /** Each process's ticks and when its stat was read, by the probe's clock. */
  byPid: Map<number, { startTicks: number; cpuTicks: number; readAt: number }>;
}

/**
 * Processes from /proc without spawning `ps`: one /proc/<pid>/stat per process
 * every sample, read by `sweep` in slices between turns of the event loop, and the command line and
 * owner (of its /proc directory) only of the few that make the top list.
 *
 * CPU % is a share of one core over the time since the previous sample, from
 * the growth of utime + stime, as top shows it; that time runs from one read of
 * the process's stat to the next, by `now` (a monotonic clock), so a sweep
 * that a busy machine slows down part-way does not skew the processes read
 * after the hold-up. Where there is no earlier
 * reading of a process: on a collector's first sample every process gets its
 * average over its lifetime, as ps shows it, so a one-off sample still ranks
 * the busy ones; later, a process started since the previous sample has spent
 * all its CPU time within the interval, so that time is divided by the
 * interval, as top does. The collector's own reading stays in the listing: it
 * spawns nothing, and its own CPU share per interval is a fraction of a percent.
 */
export class LinuxProcessesProbe implements Probe<ProcessMetrics> {
  private readonly topCount: number;
  private readonly units: RefreshingValue<KernelUnits>;
  private readonly memoryTotal: RefreshingValue<number | null>;
  private readonly users: RefreshingValue<Map<number, string>>;
  private previous: Reading | null = null;

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc' | 'etc'>,
    private readonly source: Pick<SystemSource, 'logicalCores'>,
    private readonly now: () => number,
    topCount = DEFAULT_TOP_PROCESSES,
    private readonly sweep: SweepReader = new SlicedSyncReader(),
  ) {
    this.topCount = clamp(Math.floor(finiteOrNull(topCount) ?? DEFAULT_TOP_PROCESSES), 0, LIMITS.topProcesses);
    this.units = new RefreshingValue(() => this.readUnits(), Number.POSITIVE_INFINITY, now);
    this.memoryTotal = new RefreshingValue(() => this.readMemoryTotal(), MEMORY_TOTAL_MAX_AGE_MS, now);
    this.users = new RefreshingValue(() => this.readUsers(), USERS_MAX_AGE_MS, now);
  }

  async sample(): Promise<ProcessMetrics> {
    const [names, uptimeText, units, memoryTotal] = await Promise.all([
      listDirectory(this.roots.proc),
      readSmallFile(join(this.roots.proc, 'uptime'), 128),
      this.units.get(),
      this.memoryTotal.get(),
    ]);
    const pids = names.filter((name) => /^\d+$/.test(name));
    // Joined by hand: path.join per process was a seventh of what a sample allocates, and a pid needs no normalising.
    const procDir = join(this.roots.proc);
    const sweptAt = this.now();
    const { texts, readAt } = await this.sweep.readAllTimed(
      pids.map((pid) => `${procDir}/${pid}/stat`),
      1024,
      this.now,
    );
    const stats: PidStat[] = [];
    const statReadAt: number[] = [];
    texts.forEach((text, i) => {
      const stat = text === null ? null : parsePidStat(text);
      if (stat === null) return;
      stats.push(stat);
      statReadAt.push(readAt[i] ?? sweptAt);
    });
    const uptime = finiteOrNull(Number.parseFloat(uptimeText ?? ''));
    const cpuOf = this.cpuShares(uptime, units);
    const ranked = stats
      .map((stat, i) => ({ stat, cpu: cpuOf(stat, statReadAt[i] ?? sweptAt), rss: stat.rssPages * units.pageSize }))
      .sort((a, b) => b.cpu - a.cpu || b.rss - a.rss)
      .slice(0, this.topCount);
    const cores = wholeOrZero(this.source.logicalCores());
    const users = ranked.length > 0 ? await this.users.get().catch(() => new Map<number, string>()) : new Map<number, string>();
    const top = await Promise.all(
      ranked.map(async ({ stat, cpu, rss }) => {
        const [cmdline, uid] = await Promise.all([
          readSmallFile(join(this.roots.proc, String(stat.pid), 'cmdline'), 4 * LIMITS.commandText),
          // The directory belongs to the process's effective user, which is whom ps names (and how procps learns it).
          ownerOf(join(this.roots.proc, String(stat.pid))),
        ]);
        return processInfo(
          {
            pid: stat.pid,
            name: stat.comm,
            command: commandLine(cmdline) || `[${stat.comm}]`,
            // An account that /etc/passwd does not know (LDAP, a container's) is shown by number, as ps does.
            user: uid === null ? null : (users.get(uid) ?? String(uid)),
            cpuPercent: cpu,
            memPercent: memoryTotal !== null && memoryTotal > 0 ? (rss / memoryTotal) * 100 : null,
            rssBytes: rss,
          },
          cores,
        );
      }),
    );
    this.previous =
      uptime === null
        ? null
        : {
            uptimeSeconds: uptime,
            sweptAt,
            byPid: new Map(stats.map((s, i) => [s.pid, { startTicks: s.startTicks, cpuTicks: s.cpuTicks, readAt: statReadAt[i] ?? sweptAt }])),
          };
    return {
      total: stats.length,
      running: stats.filter((s) => s.state === 'R').length,
      blocked: stats.filter((s) => s.state === 'D').length,
      top: top.filter((p): p is ProcessInfo => p !== null),
    };
  }

  /** Share of one core for each process, as the class comment explains; 0 where time cannot be told. */
  private cpuShares(uptime: number | null, units: KernelUnits): (stat: PidStat, readAt: number) => number {
    const before = this.previous;
    return (stat, readAt) => {
      if (uptime === null) return 0;
      const seconds = stat.cpuTicks / units.clockTicks;
      const startedAt = stat.startTicks / units.clockTicks;
      if (before !== null) {
        const earlier = before.byPid.get(stat.pid);
        if (earlier !== undefined && earlier.startTicks === stat.startTicks) {
          const elapsed = (readAt - earlier.readAt) / 1000;
          if (elapsed > 0) return (Math.max(0, stat.cpuTicks - earlier.cpuTicks) / units.clockTicks / elapsed) * 100;
        } else if (startedAt >= before.uptimeSeconds) {
          const elapsed = (readAt - before.sweptAt) / 1000;
          if (elapsed > 0) return (seconds / elapsed) * 100;
        }
      }
      const lifetime = uptime - startedAt;
      return lifetime > 0 ? (seconds / lifetime) * 100 : 0;
    };
  }

  private async readUnits(): Promise<KernelUnits> {
    const auxv = await readBinaryFile(join(this.roots.proc, 'self', 'auxv'));
    return auxv === null ? { ...USUAL_KERNEL_UNITS } : parseAuxv(auxv);
  }

  private async readMemoryTotal(): Promise<number | null> {
    const text = await readTextFile(join(this.roots.proc, 'meminfo'));
    return text === null ? null : (parseMeminfo(text).get('MemTotal') ?? null);
  }

  private async readUsers(): Promise<Map<number, string>> {
    const text = await readTextFile(join(this.roots.etc, 'passwd'));
    if (text === null) throw new Error('passwd cannot be read');
    return parsePasswd(text);
  }
}

/**
 * `pid (comm) state ppid ...`: the name may itself hold spaces and `)`, so the
 * fields are counted from the last `)`. After it, state is field 3 of proc(5),
 * utime 14, stime 15, starttime 22, rss 24.
 */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 1)
    .trim()
    .split(' ');
  const [utime, stime, start, rss] = [fields[11], fields[12], fields[19], fields[21]].map(Number);
  if (!Number.isSafeInteger(pid) || pid < 0 || utime === undefined || stime === undefined || start === undefined || rss === undefined) return null;
  if (![utime, stime, start].every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: fields[0] ?? '',
    cpuTicks: utime + stime,
    startTicks: start,
    // Kernel threads and zombies report 0; a negative or broken figure counts as nothing resident.
    rssPages: Number.isSafeInteger(rss) && rss > 0 ? rss : 0,
  };
}

/** The arguments of /proc/<pid>/cmdline, separated by NUL; empty for kernel threads and zombies. */
function commandLine(text: string | null): string {
  if (text === null) return '';
  return text.replace(/\0+$/, '').replaceAll('\0', ' ').trim();
}
