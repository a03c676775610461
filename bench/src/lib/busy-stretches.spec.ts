import { expect } from 'chai';
import { longestBusyStretches, type CpuProfile } from './busy-stretches';

const IDLE = 1;
const WORK = 2;
const GC = 3;

/** A profile sampled every `everyUs`, one letter per sample: `.` idle, `w` JS, `g` the garbage collector. */
function profile(pattern: string, everyUs = 1000): CpuProfile {
  const ids: Record<string, number> = { '.': IDLE, w: WORK, g: GC };
  return {
    nodes: [
      { id: IDLE, callFrame: { functionName: '(idle)' } },
      { id: WORK, callFrame: { functionName: 'collect' } },
      { id: GC, callFrame: { functionName: '(garbage collector)' } },
    ],
    startTime: 5_000_000,
    samples: [...pattern].map((letter) => ids[letter]!),
    timeDeltas: [...pattern].map(() => everyUs),
  };
}

describe('longestBusyStretches', () => {
  it('should measure a stretch from its first busy sample to the next idle one, counting the collector as busy', () => {
    // Busy from the sample at 2 ms to the idle one at 6 ms.
    expect(longestBusyStretches(profile('.wwgw...'), 100)).to.deep.equal([4]);
  });

  it('should give each window its own longest stretch', () => {
    expect(longestBusyStretches(profile('.ww.......' + '.wwww.....' + 'w.........'), 10)).to.deep.equal([2, 4, 1]);
  });

  it('should leave out the windows before skipMs, and a stretch the profile ends in', () => {
    expect(longestBusyStretches(profile('.wwwww....' + '.w......ww'), 10, 10)).to.deep.equal([1]);
  });

  it('should not count an idle process as blocked, however long its idle samples', () => {
    expect(longestBusyStretches(profile('..........', 50_000), 100)).to.deep.equal([]);
  });
});
