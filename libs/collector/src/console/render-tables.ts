import type { HostFacts, Metrics } from '@hostwatch/protocol';

/** Renders facts and one sample as plain-text tables for a terminal. */
export function renderTables(_facts: HostFacts, _metrics: Metrics): string {
  throw new Error('not implemented yet');
}
