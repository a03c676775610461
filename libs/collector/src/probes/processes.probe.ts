import { LIMITS, type ProcessInfo, type ProcessMetrics } from '@hostwatch/protocol';
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
      .map((p) => toProcessInfo(p, scale, cores))
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

function toProcessInfo(p: Systeminformation.ProcessesProcessData, cpuScale: number, cores: number): ProcessInfo | null {
  const pid = wholeOrNull(p.pid);
  if (pid === null) return null;
  const name = capText(p.name, LIMITS.text);
  const program = capText(p.command, LIMITS.commandText) || name;
  const params = capText(p.params, LIMITS.commandText);
  return {
    pid,
    name,
    command: capText(params === '' ? program : `${program} ${params}`, LIMITS.commandText),
    user: capTextOrNull(p.user, LIMITS.shortText),
    cpuPercent: clamp((finiteOrNull(p.cpu) ?? 0) * cpuScale, 0, 100 * cores),
    memPercent: percentOrNull(p.mem) ?? 0,
    // Resident memory arrives in KiB.
    rssBytes: wholeOrZero((finiteOrNull(p.memRss) ?? 0) * 1024),
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
