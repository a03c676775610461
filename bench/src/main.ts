#!/usr/bin/env node
/*
 * Hostwatch benchmarks (not tests). `npm run bench -- [agent|hub|dashboard]... [--quick] [--duration S]`;
 * see docs/BENCHMARKS.md for what each measures and how to read it.
 */
import { runAgentBench } from './agent/agent.bench';
import { parseBenchArgs, USAGE } from './bench-options';
import { Cleanup } from './lib/cleanup';
import { writeResult } from './lib/results';
import { runDashboardBench } from './dashboard/dashboard.bench';
import { runHubBench } from './hub/hub.bench';

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const options = parsed.options;
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  try {
    for (const suite of options.suites) {
      const startedAt = new Date();
      console.log(`\n=== ${suite} benchmark${options.quick ? ' (quick)' : ''} ===`);
      let result: Record<string, unknown>;
      let recorded: Record<string, unknown>;
      if (suite === 'agent') {
        recorded = options.agent as unknown as Record<string, unknown>;
        result = await runAgentBench(options.agent, cleanup);
      } else if (suite === 'hub') {
        recorded = options.hub as unknown as Record<string, unknown>;
        result = await runHubBench(options.hub, cleanup);
      } else {
        recorded = options.dashboard as unknown as Record<string, unknown>;
        result = await runDashboardBench(options.dashboard, cleanup);
      }
      await cleanup.runAll();
      const file = writeResult(suite, { quick: options.quick, ...recorded }, result, startedAt);
      console.log(`\nResult written to ${file}`);
    }
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  } finally {
    await cleanup.runAll();
  }
}

void main().then((code) => process.exit(code));
