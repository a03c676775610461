import { expect } from 'chai';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validSnapshot } from '@hostwatch/protocol/testing';
import { FakeClock } from '../testing/fake-timers';
import { MemoryLogger } from '../testing/memory-logger';
import { SnapshotSpool, type SnapshotSpoolOptions } from './snapshot-spool';
import type { SpoolFs } from './spool-fs';

describe('SnapshotSpool', () => {
  let dir: string;
  let logger: MemoryLogger;
  let sut: SnapshotSpool | null;

  async function open(overrides: Partial<SnapshotSpoolOptions> = {}) {
    const opened = await SnapshotSpool.open({ dir, hostId: 'web-01', fs, clock: new FakeClock(), logger, segmentSize: 2, ...overrides });
    sut = opened.spool;
    return opened;
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'hostwatch-spool-'));
    logger = new MemoryLogger();
    sut = null;
  });

  afterEach(async () => {
    await sut?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('should start a new segment file named after its first seq once a segment is full', async () => {
    const { spool } = await open({ segmentSize: 2 });
    for (const seq of [7, 8, 9]) spool.append(validSnapshot({ seq }));
    await spool.flush();
    expect((await fs.readdir(dir)).sort()).to.deep.equal(['0000000000000007.jsonl', '0000000000000009.jsonl']);
    const lines = (await fs.readFile(join(dir, '0000000000000007.jsonl'), 'utf8')).split('\n');
    expect(lines.slice(0, 2).map((line) => (JSON.parse(line) as { seq: number }).seq)).to.deep.equal([7, 8]);
    expect(lines[2]).to.equal('');
  });

  it('should never append to a segment an earlier run left, whose last line may be torn', async () => {
    const { spool: first } = await open({ segmentSize: 10 });
    first.append(validSnapshot({ seq: 1 }));
    await first.close();
    const { spool } = await open({ segmentSize: 10 });
    spool.append(validSnapshot({ seq: 2 }));
    await spool.flush();
    expect((await fs.readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort()).to.deep.equal(['0000000000000001.jsonl', '0000000000000002.jsonl']);
  });

  it('should log one error while writing fails, keep going, and say when it works again', async () => {
    let failures = 2;
    const flaky: SpoolFs = {
      ...fs,
      open: ((...args: Parameters<typeof fs.open>) => {
        if (failures-- > 0) return Promise.reject(new Error('ENOSPC: no space left on device'));
        return fs.open(...args);
      }) as typeof fs.open,
    };
    const { spool } = await open({ fs: flaky });
    for (const seq of [1, 2, 3]) spool.append(validSnapshot({ seq }));
    await spool.flush();
    expect(logger.messages('error')).to.deep.equal([
      `spool ${dir}: cannot write snapshot 1 (ENOSPC: no space left on device); unacknowledged snapshots are kept in memory only until it works again`,
    ]);
    expect(logger.messages('info')).to.deep.equal([`spool ${dir}: writing again`]);
    expect(await fs.readdir(dir)).to.deep.equal(['0000000000000003.jsonl']);
  });
});
