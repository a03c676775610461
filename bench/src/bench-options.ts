import type { AgentBenchOptions } from './agent/agent.bench';
import type { DashboardBenchOptions } from './dashboard/dashboard.bench';
import type { HubBenchOptions } from './hub/hub.bench';

export type Suite = 'agent' | 'hub' | 'dashboard';
const SUITES: readonly Suite[] = ['agent', 'hub', 'dashboard'];

export interface BenchOptions {
  suites: Suite[];
  quick: boolean;
  agent: AgentBenchOptions;
  hub: HubBenchOptions;
  dashboard: DashboardBenchOptions;
}

export type ParsedArgs = { kind: 'ok'; options: BenchOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const USAGE = `Usage: npm run bench -- [agent] [hub] [dashboard] [options]

With no benchmark named, runs all three. Traffic stays on loopback; every process started is stopped at the end or on Ctrl-C.

Options:
  --quick            short runs (15 s per case) for a smoke test; figures are rougher
  --duration S       measured seconds per case (agent: per subject and interval in alternating rounds, and the
                     window with every subject at once, default 120; hub: per N, default 180)
  --intervals A,B    agent intervals in seconds (default 1,5)
  --round S          agent: seconds per alternating round (default 40)
  --agents A,B,C     hub: simulated agents per case (default 1000,5000,10000)
  --no-install       do not apt-get install node_exporter and glances when absent
  --no-ramp          hub: skip the ramp that looks for the ceiling
  -h, --help         this text`;

function numberList(text: string | undefined, flag: string): number[] | string {
  if (text === undefined) return `${flag} needs a value`;
  const values = text.split(',').map(Number);
  return values.every((v) => Number.isFinite(v) && v > 0) ? values : `${flag} must be positive numbers separated by commas, got '${text}'`;
}

export function parseBenchArgs(argv: readonly string[]): ParsedArgs {
  const suites: Suite[] = [];
  let quick = false;
  let duration: number | null = null;
  let intervals = [1, 5];
  let roundS = 40;
  let agents = [1000, 5000, 10000];
  let install = true;
  let ramp = true;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if ((SUITES as readonly string[]).includes(arg)) suites.push(arg as Suite);
    else if (arg === '--quick') quick = true;
    else if (arg === '--no-install') install = false;
    else if (arg === '--no-ramp') ramp = false;
    else if (arg === '--duration' || arg === '--round') {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value <= 0) return { kind: 'error', message: `${arg} must be a positive number of seconds` };
      if (arg === '--duration') duration = value;
      else roundS = value;
    } else if (arg === '--intervals' || arg === '--agents') {
      const list = numberList(argv[++i], arg);
      if (typeof list === 'string') return { kind: 'error', message: list };
      if (arg === '--intervals') intervals = list;
      else agents = list.map(Math.round);
    } else return { kind: 'error', message: `unknown argument '${arg}'` };
  }
  const agentDuration = duration ?? (quick ? 15 : 120);
  // One window's p99 at 10,000 agents turns on how many of the hub's full collections it holds (docs/BENCHMARKS.md,
  // "2. Hub ingest"): a long window keeps one collection more or less from deciding it.
  const hubDuration = duration ?? (quick ? 15 : 180);
  return {
    kind: 'ok',
    options: {
      suites: suites.length > 0 ? suites : [...SUITES],
      quick,
      agent: { intervalsS: intervals, durationS: agentDuration, roundS: quick ? agentDuration : roundS, install },
      hub: { agentCounts: agents, durationS: hubDuration, intervalS: 10, rampAgents: ramp ? (quick ? 1000 : 2000) : 0, rampStepS: quick ? 8 : 20 },
      dashboard: { durationS: quick ? 10 : 30, hostCounts: quick ? [1000, 10000] : [1000, 10000] },
    },
  };
}
