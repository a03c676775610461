import type { ProcessInfo, ProcessMetrics } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { Systeminformation } from 'systeminformation';
import type { SystemSource } from '../source/system.source';
import { capText, capTextOrNull, clamp, finiteOrNull, percentOrNull, wholeOrNull, wholeOrZero } from '../util/sanitize.util';

export type ProcessesSource = Pick<SystemSource, 'processes' | 'platform' | 'logicalCores' | 'selfPid'>;

export const DEFAULT_TOP_PROCESSES = 5;

/**
 * On Linux and Windows systeminformation gives a process's CPU as a share of
 * the whole machine; on macOS and the BSDs (`ps`) as a share of one core,
 * which is what the protocol carries (as `top` shows it).
 */
const WHOLE_MACHINE_CPU_PLATFORMS: ReadonlySet<NodeJS.Platform> = new Set(['linux', 'android', 'win32']);

export class ProcessesProbe {
  private readonly topCount: number;

  constructor(
    private readonly source: ProcessesSource,
    topCount = DEFAULT_TOP_PROCESSES,
  ) {
    this.topCount = clamp(Math.floor(finiteOrNull(topCount) ?? DEFAULT_TOP_PROCESSES), 0, LIMITS.topProcesses);
  }

  async sample(): Promise<ProcessMetrics> {
    const data = await this.source.processes();
    const cores = clamp(wholeOrZero(this.source.logicalCores()), 1, LIMITS.cpuCores);
    const scale = WHOLE_MACHINE_CPU_PLATFORMS.has(this.source.platform) ? cores : 1;
    const list = Array.isArray(data.list) ? data.list : [];
    const helpers = descendantsOf(this.source.selfPid, list);
    const top = list
      // systeminformation's own `sh -c ps` shows up in its listing with a
      // start-up CPU spike, and is gone by the time anyone reads its pid.
      .filter((p) => !helpers.has(p.pid))
      .map((p) => toProcessInfo(p, this.source.platform, scale, cores))
      .filter((p): p is ProcessInfo => p !== null)
      .sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes)
      .slice(0, this.topCount);
    return {
      total: wholeOrZero(data.all),
      running: wholeOrZero(data.running),
      blocked: wholeOrZero(data.blocked),
      top,
    };
  }
}

function toProcessInfo(p: Systeminformation.ProcessesProcessData, platform: NodeJS.Platform, cpuScale: number, cores: number): ProcessInfo | null {
  const program = capText(programOf(p, platform), LIMITS.commandText) || capText(p.name, LIMITS.text);
  const params = capText(p.params, LIMITS.commandText);
  return processInfo(
    {
      pid: p.pid,
      name: p.name,
      command: params === '' ? program : `${program} ${params}`,
      user: p.user,
      cpuPercent: (finiteOrNull(p.cpu) ?? 0) * cpuScale,
      memPercent: p.mem,
      // Resident memory arrives in KiB.
      rssBytes: (finiteOrNull(p.memRss) ?? 0) * 1024,
    },
    cores,
  );
}

/**
 * The program as ps printed it. Outside Windows systeminformation splits ps's
 * command line into a directory (`path`), a file name (`command`) and `params`,
 * so the directory has to be put back; on Windows `command` is the whole line.
 */
function programOf(p: Systeminformation.ProcessesProcessData, platform: NodeJS.Platform): unknown {
  if (platform === 'win32' || typeof p.path !== 'string' || p.path === '' || typeof p.command !== 'string' || p.command === '') return p.command;
  return `${p.path}/${p.command}`;
}

/** One process as the platform reported it, each field possibly absent or absurd. */
export interface ProcessReading {
  pid: unknown;
  name: unknown;
  command: unknown;
  user: unknown;
  /** Share of one core. */
  cpuPercent: unknown;
  memPercent: unknown;
  rssBytes: unknown;
}

/** A process the schema accepts, or null without a usable pid. `cores` bounds the CPU share. */
export function processInfo(p: ProcessReading, cores: number): ProcessInfo | null {
  const pid = wholeOrNull(p.pid);
  if (pid === null) return null;
  return {
    pid,
    name: capText(p.name, LIMITS.text),
    command: capText(p.command, LIMITS.commandText),
    user: capTextOrNull(p.user, LIMITS.shortText),
    cpuPercent: clamp(finiteOrNull(p.cpuPercent) ?? 0, 0, 100 * clamp(cores, 1, LIMITS.cpuCores)),
    memPercent: percentOrNull(p.memPercent) ?? 0,
    rssBytes: wholeOrZero(p.rssBytes),
  };
}

function descendantsOf(root: number, list: readonly Systeminformation.ProcessesProcessData[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of list) {
    const siblings = children.get(p.parentPid);
    if (siblings === undefined) children.set(p.parentPid, [p.pid]);
    else siblings.push(p.pid);
  }
  const found = new Set<number>();
  const pending = [...(children.get(root) ?? [])];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    if (found.has(pid) || pid === root) continue;
    found.add(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return found;
}
