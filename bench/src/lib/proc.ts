import * as fs from 'node:fs';

/** Clock ticks per second of /proc/stat and /proc/<pid>/stat times; 100 on every Linux this runs on. */
export const CLK_TCK = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in µs: the process's own CPU. */
  ownCpuUsec: number;
  /** utime + stime + cutime + cstime, in µs: own CPU plus that of every child it waited for. */
  cpuUsec: number;
}

/** One process's /proc/<pid>/stat, or null when it is gone. */
function readStat(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; fields start after the last ')'.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const children = Number(fields[13]) + Number(fields[14]);
    return {
      pid,
      ppid: Number(fields[1]),
      comm: text.slice(text.indexOf('(') + 1, close),
      ownCpuUsec: (own * 1e6) / CLK_TCK,
      cpuUsec: ((own + children) * 1e6) / CLK_TCK,
    };
  } catch {
    return null;
  }
}

/** The stat of every living process. */
export function readAllStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** The process and every living descendant. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const stat of readAllStats()) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * CPU of a process tree: living processes' own time plus what each already
 * collected from the children it waited for, so a child that came and went
 * between two readings is still counted.
 */
export function treeCpuUsec(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readStat(pid)?.cpuUsec ?? 0;
  return total;
}

/** Sum of VmRSS over the processes, in bytes (shared pages counted once per process). */
export function rssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone between listing and reading.
    }
  }
  return total;
}
