import type { Collector } from '@hostwatch/collector';
import type { HostFacts, Metrics } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';

export function sampleMetrics(): Metrics {
  const { hostId: _hostId, seq: _seq, ts: _ts, ...metrics } = validSnapshot();
  return metrics;
}

/** A collector with fixed answers; `nextSample` lets a test hold a sample back. */
export class FakeCollector implements Collector {
  samples = 0;
  facts: HostFacts = validFacts();
  nextSample: (() => Promise<Metrics>) | null = null;

  async collectFacts(): Promise<HostFacts> {
    return this.facts;
  }

  sample(): Promise<Metrics> {
    this.samples += 1;
    const next = this.nextSample;
    this.nextSample = null;
    return next ? next() : Promise.resolve(sampleMetrics());
  }

  async machineId(): Promise<string | null> {
    return null;
  }
}
