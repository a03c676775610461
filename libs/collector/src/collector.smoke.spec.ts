import { existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import { hostFactsSchema, metricsSchema, parseWith, type Metrics } from '@hostwatch/protocol';
import { expect } from 'chai';
import { createCollector } from './collector';
import type { ProbeSetChoice } from './collector.types';
import { detectLinuxRoots } from './linux/linux-roots.util';

function isAlive(pid: number): boolean {
  if (existsSync(`/proc/${pid}`)) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Pids that exist now, read from /proc where there is one. Other work on a busy
 * machine may end a process between the sample and the check, so a pid counts
 * as real when it existed just before the sample or still exists after it.
 */
function pidsNow(): Set<number> {
  if (!existsSync('/proc')) return new Set();
  return new Set(
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number),
  );
}

// The portable set is the only one on macOS, Windows and the BSDs; run here too, it cannot rot unseen.
const PROBE_SETS: readonly ProbeSetChoice[] = detectLinuxRoots() === null ? ['portable'] : ['linux', 'portable'];

describe('collector on this machine', () => {
  for (const probes of PROBE_SETS) {
    it(`should collect facts and two samples a second apart that validate and describe this machine (${probes} probes)`, async () => {
      const sut = createCollector({ probes });

      const facts = await sut.collectFacts();
      const parsedFacts = parseWith(hostFactsSchema, facts);
      expect(parsedFacts.ok, parsedFacts.ok ? '' : parsedFacts.message).to.equal(true);
      expect(facts.hostname).to.equal(os.hostname());

      const samples: Array<{ sample: Metrics; before: Set<number> }> = [];
      let before = pidsNow();
      samples.push({ sample: await sut.sample(), before });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      before = pidsNow();
      samples.push({ sample: await sut.sample(), before });

      for (const { sample, before } of samples) {
        const parsed = parseWith(metricsSchema, sample);
        expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
        expect(sample.memory.totalBytes).to.be.greaterThan(0);
        expect(sample.network.length).to.be.greaterThan(0);
        expect(sample.processes.top.length).to.be.greaterThan(0);
        for (const p of sample.processes.top) {
          expect(before.has(p.pid) || isAlive(p.pid), `pid ${p.pid} (${p.name})`).to.equal(true);
        }
      }
      const second = samples[1]?.sample;
      expect(
        second?.network.some((n) => n.rxBytesPerSec !== null),
        'a measured network rate on the second sample',
      ).to.equal(true);
      if (probes === 'linux') {
        // procfs usage needs two readings where systeminformation waits for its own second one.
        expect(samples[0]?.sample.cpu.usagePercent, 'read from /proc/stat').to.equal(null);
        expect(second?.cpu.usagePercent).to.be.a('number');
        expect(second?.cpu.perCorePercent).to.have.length(os.availableParallelism());
      }
    });
  }
});
