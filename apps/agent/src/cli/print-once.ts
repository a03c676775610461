import type { Collector } from '@hostwatch/collector';
import type { HostFacts, Metrics } from '@hostwatch/protocol';
import type { Timers } from '../time/timers';

/** Rates and CPU % are measured between two samples, so the first one only sets the baseline. */
export const ONCE_SETTLE_MS = 1000;

export interface PrintOnceOptions {
  collector: Pick<Collector, 'collectFacts' | 'sample'>;
  timers: Timers;
  render: (facts: HostFacts, metrics: Metrics) => string;
  write: (text: string) => Promise<void>;
  settleMs?: number;
}

/** `--once`: this machine's tables on stdout, like the console output of a single run. */
export async function printOnce({ collector, timers, render, write, settleMs = ONCE_SETTLE_MS }: PrintOnceOptions): Promise<void> {
  const facts = await collector.collectFacts();
  await collector.sample();
  await new Promise<void>((resolve) => timers.setTimeout(resolve, settleMs));
  const metrics = await collector.sample();
  await write(render(facts, metrics));
}
