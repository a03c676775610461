import { collectorVersion } from '../collector.version';
import { createSystemSource } from '../source/system.source';
import type { FactsReply } from './facts.check';
import { LocalFactsReader } from './local-facts.reader';

/**
 * The facts process: reads this host's facts and machine id through
 * systeminformation, prints them as one JSON object and exits, so that the
 * agent that started it never holds systeminformation itself.
 */
async function printFacts(): Promise<void> {
  const reader = new LocalFactsReader(createSystemSource(), Date.now, collectorVersion());
  const [facts, machineId] = await Promise.all([reader.facts(), reader.machineId()]);
  const reply: FactsReply = { facts, machineId };
  // systeminformation may leave timers behind; the reply is all this process is for.
  process.stdout.write(JSON.stringify(reply), () => process.exit(0));
}

/** Runs this process as the facts process: prints the reply, or the error on stderr with exit status 1. */
export function runFactsProcess(): void {
  printFacts().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) runFactsProcess();
