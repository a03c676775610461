import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { readCollections, summariseStalls, type Collection } from './stalls';

const FROM = 1_000_000;
const TO = FROM + 60_000;

const full = (at: number, pauseMs = 20): Collection => ({ at, pauseMs, kind: 'full' });
const young = (at: number, pauseMs: number): Collection => ({ at, pauseMs, kind: 'young' });

describe('summariseStalls', () => {
  it('should count only the collections whose pause began inside the window', () => {
    const stalls = summariseStalls(
      [full(FROM - 5000, 90), full(FROM + 10_000, 30), young(FROM + 1000, 10), young(FROM + 2000, 20), young(TO + 1, 70)],
      [],
      [],
      FROM,
      TO,
    );
    expect(stalls).to.include({ fullCollections: 1, fullPauseMaxMs: 30, youngCollections: 2, youngPauseMeanMs: 15, youngPauseMaxMs: 20 });
  });

  it('should count a slow ack as near a full collection from 1 s before its pause to 2 s after it ended', () => {
    const collection = full(FROM + 10_000, 50);
    const acks: Array<[number, number]> = [
      [FROM + 8_999, 120], // too early
      [FROM + 9_000, 130],
      [FROM + 12_050, 140], // 2 s after the pause ended
      [FROM + 12_051, 150], // too late
    ];
    const stalls = summariseStalls([collection], [], acks, FROM, TO);
    expect(stalls.slowAcks).to.equal(4);
    expect(stalls.slowAcksNearFullCollection).to.equal(2);
  });

  it('should tie slow acks at the window start to a full collection just before it, and leave out acks outside the window', () => {
    const stalls = summariseStalls(
      [full(FROM - 500, 40)],
      [],
      [
        [FROM + 100, 200],
        [FROM - 100, 300],
        [TO + 100, 300],
      ],
      FROM,
      TO,
    );
    expect(stalls.slowAcks).to.equal(1);
    expect(stalls.slowAcksNearFullCollection).to.equal(1);
  });

  it('should give the median and the largest of the per-second loop delays, and no figure where nothing was measured', () => {
    expect(summariseStalls([], [5, 60, 7], [], FROM, TO).loopDelayPerSecondMs).to.deep.equal({ p50: 7, max: 60 });
    const empty = summariseStalls([], [], [], FROM, TO);
    expect(empty.fullPauseMaxMs).to.be.NaN;
    expect(empty.youngPauseMeanMs).to.be.NaN;
    expect(empty.loopDelayPerSecondMs.max).to.be.NaN;
  });
});

describe('collections.preload', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-gc-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("should write the main thread's full and young collections when the process exits", () => {
    const file = path.join(dir, 'gc.json');
    const before = Date.now();
    // Collections are reported to observers asynchronously: the process lives on a moment after forcing them.
    const script = "global.gc(); global.gc({ type: 'minor' }); setTimeout(() => {}, 200);";
    execFileSync(process.execPath, ['--expose-gc', '--require', path.join(__dirname, 'collections.preload.js'), '-e', script], {
      env: { ...process.env, HOSTWATCH_BENCH_GC_FILE: file },
      timeout: 20_000,
    });
    const collections = readCollections(file);
    const kinds = collections.map((c) => c.kind);
    expect(kinds).to.include('full');
    expect(kinds).to.include('young');
    for (const c of collections) {
      expect(c.at).to.be.within(before - 1000, Date.now());
      expect(c.pauseMs).to.be.at.least(0);
    }
  });

  it('should read no collections from a file that is not there', () => {
    expect(readCollections(path.join(dir, 'missing.json'))).to.deep.equal([]);
  });
});
