import type { Collector, CollectorOptions } from './collector.types';

// Placeholder until the probes land; keeps the public API compiling for consumers.
export function createCollector(_options: CollectorOptions = {}): Collector {
  throw new Error('not implemented yet');
}
