import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cleanup } from './cleanup';
import { processTree, rssBytes, treeCpuUsec } from './proc';

/** How a process's CPU is read: its own cgroup v2 (every descendant included), or a sweep of its /proc tree. */
export type MeterKind = 'cgroup' | 'proc-tree';

export interface MeasuredProcess {
  child: ChildProcess;
  pid: number;
  meter: MeterKind;
  /** CPU of the process and every descendant since it started, in µs. */
  cpuUsec(): number;
  /** The process and its descendants now. */
  pids(): number[];
  rssBytes(): number;
  /** Ends the whole tree (SIGTERM, then SIGKILL after graceMs) and removes its cgroup. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /** Names the cgroup; unique within one benchmark run. */
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Raise the soft open-file limit to the hard one (thousands of sockets). */
  raiseFileLimit?: boolean;
  /** Where stdout and stderr go; null: discarded. */
  logFile?: string | null;
  /** Adds an IPC channel, for a Node worker driven with process.send. */
  ipc?: boolean;
  /** Keeps stdout as a pipe on child.stdout, for a tool whose output marks its samples. */
  pipeStdout?: boolean;
}

/** How this machine mounts cgroups: v2 alone, v2 beside v1 controllers (hybrid), v1 alone, or none. */
export type CgroupLayout = 'unified' | 'hybrid' | 'legacy' | 'none';

interface CgroupMounts {
  layout: CgroupLayout;
  /** Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified in a hybrid layout. */
  v2: string | null;
}

export function cgroupMounts(mountsText: string): CgroupMounts {
  let v2: string | null = null;
  let v1 = false;
  for (const line of mountsText.split('\n')) {
    const [, mountPoint, type] = line.split(' ');
    if (type === 'cgroup2' && v2 === null) v2 = mountPoint;
    if (type === 'cgroup') v1 = true;
  }
  const layout: CgroupLayout = v2 ? (v1 ? 'hybrid' : 'unified') : v1 ? 'legacy' : 'none';
  return { layout, v2 };
}

function readMounts(): CgroupMounts {
  try {
    return cgroupMounts(fs.readFileSync('/proc/self/mounts', 'utf8'));
  } catch {
    // Not Linux, or /proc hidden.
    return { layout: 'none', v2: null };
  }
}

/**
 * A cgroup v2 folder of this benchmark run, holding one child group per
 * measured process; null when cgroups cannot be made here (not root, no
 * cgroup2 mount, or a group without CPU figures), and the /proc tree is
 * summed instead. In a hybrid layout the v2 hierarchy holds no controllers,
 * but every group still counts its CPU in cpu.stat, which is all this reads.
 */
export class CgroupRoot {
  readonly dir: string | null;
  readonly layout: CgroupLayout;

  /** useCgroups false: sum the /proc tree even where groups could be made. */
  constructor(cleanup: Cleanup, useCgroups = true) {
    const mounts = readMounts();
    this.layout = mounts.layout;
    let dir: string | null = null;
    if (mounts.v2 && useCgroups) {
      const candidate = path.join(mounts.v2, `hostwatch-bench-${process.pid}`);
      try {
        fs.mkdirSync(candidate);
        dir = candidate;
        cgroupCpuUsec(candidate);
      } catch {
        if (dir) removeCgroup(dir);
        dir = null;
      }
    }
    this.dir = dir;
    if (dir) {
      const remove = () => removeCgroup(dir);
      cleanup.add(remove, remove);
    }
  }

  /** What the result says about how CPU was read. */
  describe(): string {
    return this.dir ? `cgroup v2 (${this.dir}; ${this.layout} layout)` : `sum over the /proc process tree (cgroups: ${this.layout} layout, none made)`;
  }

  make(name: string): string | null {
    if (!this.dir) return null;
    const group = path.join(this.dir, name);
    try {
      fs.mkdirSync(group);
      return group;
    } catch {
      return null;
    }
  }
}

function cgroupPids(group: string): number[] {
  try {
    return fs
      .readFileSync(path.join(group, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function removeCgroup(group: string): void {
  if (!fs.existsSync(group)) return;
  for (const entry of fs.readdirSync(group, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroup(path.join(group, entry.name));
  }
  for (const pid of cgroupPids(group)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  try {
    fs.rmdirSync(group);
  } catch {
    // Still has dying members; the kernel keeps the group until they are reaped.
  }
}

function cgroupCpuUsec(group: string): number {
  const stat = fs.readFileSync(path.join(group, 'cpu.stat'), 'utf8');
  const match = /^usage_usec (\d+)/m.exec(stat);
  if (!match) throw new Error(`${group}/cpu.stat has no usage_usec`);
  return Number(match[1]);
}

/**
 * Starts a command inside its own cgroup (the shell joins the group before it
 * execs, so every descendant is born inside it) or, without cgroups, as a
 * plain child whose /proc tree is summed.
 */
export function spawnMeasured(command: string, args: readonly string[], options: SpawnOptions, cgroups: CgroupRoot, cleanup: Cleanup): MeasuredProcess {
  const group = cgroups.make(options.name);
  const limit = options.raiseFileLimit ? 'ulimit -n "$(ulimit -Hn)"; ' : '';
  const join = group ? `echo $$ > "${path.join(group, 'cgroup.procs')}" && ` : '';
  const out = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const stdout = options.pipeStdout ? 'pipe' : out;
  const stdio: StdioOptions = options.ipc ? ['ignore', stdout, out, 'ipc'] : ['ignore', stdout, out];
  const child = spawn('/bin/sh', ['-c', `${limit}${join}exec "$@"`, 'sh', command, ...args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio,
  });
  if (typeof out === 'number') fs.closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => (alive = false));

  const pids = () => (group ? cgroupPids(group) : alive ? processTree(pid) : []);
  const killAll = (signal: NodeJS.Signals) => {
    for (const member of pids()) {
      try {
        process.kill(member, signal);
      } catch {
        // Already gone.
      }
    }
  };
  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 3000) =>
    (stopping ??= (async () => {
      killAll('SIGTERM');
      const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([exited, timer]);
      killAll('SIGKILL');
      if (alive) await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
      if (group) removeCgroup(group);
      unregister();
    })());
  const unregister = cleanup.add(
    () => stop(),
    () => {
      killAll('SIGKILL');
      if (group) removeCgroup(group);
    },
  );
  let lastCpu = 0;
  return {
    child,
    pid,
    meter: group ? 'cgroup' : 'proc-tree',
    cpuUsec: () => {
      // A tree reading can drop when a process exits unwaited; CPU never goes backwards.
      lastCpu = Math.max(lastCpu, group ? cgroupCpuUsec(group) : treeCpuUsec(pids()));
      return lastCpu;
    },
    pids,
    rssBytes: () => rssBytes(pids()),
    stop,
    exited,
  };
}
