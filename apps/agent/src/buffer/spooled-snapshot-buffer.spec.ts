import { expect } from 'chai';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';
import { FakeClock } from '../testing/fake-timers';
import { MemoryLogger } from '../testing/memory-logger';
import { SpooledSnapshotBuffer, type OpenedSpooledBuffer, type SpooledBufferOptions } from './spooled-snapshot-buffer';

const snapshot = (seq: number, hostId = 'web-01'): Snapshot => validSnapshot({ hostId, seq, ts: 1_764_000_000_000 + seq });

describe('SpooledSnapshotBuffer', () => {
  let root: string;
  let dir: string;
  let logger: MemoryLogger;
  let opened: SpooledSnapshotBuffer[];

  async function open(overrides: Partial<SpooledBufferOptions> = {}): Promise<OpenedSpooledBuffer> {
    const result = await SpooledSnapshotBuffer.open({ dir, hostId: 'web-01', fs, clock: new FakeClock(), logger, capacity: 100, ...overrides });
    opened.push(result.buffer);
    return result;
  }

  async function segmentFiles(): Promise<string[]> {
    return (await fs.readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
  }

  async function linesOnDisk(): Promise<number> {
    let lines = 0;
    for (const name of await segmentFiles()) lines += (await fs.readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean).length;
    return lines;
  }

  const seqs = (buffer: SpooledSnapshotBuffer) => buffer.toArray().map((entry) => entry.seq);

  beforeEach(async () => {
    root = await fs.mkdtemp(join(tmpdir(), 'hostwatch-spool-'));
    dir = join(root, 'spool');
    logger = new MemoryLogger();
    opened = [];
  });

  afterEach(async () => {
    // A test that failed half-way may leave a segment open; close it before deleting its folder.
    await Promise.all(opened.map((buffer) => buffer.close()));
    await fs.rm(root, { recursive: true, force: true });
  });

  it('should give back every unacknowledged snapshot, whole and in seq order, after a reopen', async () => {
    const { buffer: first } = await open();
    for (const seq of [10, 11, 12, 13, 14]) first.push(snapshot(seq));
    await first.close();
    const { buffer: sut } = await open();
    expect(sut.toArray()).to.deep.equal([10, 11, 12, 13, 14].map((seq) => snapshot(seq)));
    expect(logger.messages('info')).to.include(`spool ${dir}: 5 unacknowledged snapshots from an earlier run (seq 10 to 14) go first`);
  });

  it('should give back what a run that never closed the spool had written, as after a crash', async () => {
    const { buffer: crashed } = await open();
    for (const seq of [1, 2, 3]) crashed.push(snapshot(seq));
    await crashed.flush();
    const { buffer: sut } = await open();
    expect(seqs(sut)).to.deep.equal([1, 2, 3]);
  });

  it('should skip a torn last line with a warning and keep every line before it', async () => {
    const { buffer: first } = await open({ segmentSize: 10 });
    for (const seq of [1, 2, 3]) first.push(snapshot(seq));
    await first.close();
    const [segment] = await segmentFiles();
    const whole = JSON.stringify(snapshot(4));
    await fs.appendFile(join(dir, segment), whole.slice(0, whole.length / 2));
    const { buffer: sut } = await open();
    expect(seqs(sut)).to.deep.equal([1, 2, 3]);
    const warnings = logger.messages('warn');
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(new RegExp(`^spool ${join(dir, segment)}: skipped 1 unreadable line \\(line 4: `));
  });

  it('should skip a line that is JSON but not a valid snapshot, naming what is wrong', async () => {
    const { buffer: first } = await open({ segmentSize: 10 });
    first.push(snapshot(1));
    await first.close();
    const [segment] = await segmentFiles();
    await fs.appendFile(join(dir, segment), `${JSON.stringify({ ...snapshot(2), seq: -1 })}\n${JSON.stringify(snapshot(3))}\n`);
    const { buffer: sut } = await open();
    expect(seqs(sut)).to.deep.equal([1, 3]);
    expect(logger.messages('warn')[0]).to.contain('skipped 1 unreadable line (line 2: seq:');
  });

  it('should not give back acknowledged snapshots, and delete segments that hold only those', async () => {
    const { buffer: first } = await open({ segmentSize: 2 });
    for (let seq = 1; seq <= 6; seq += 1) first.push(snapshot(seq));
    await first.flush();
    expect(await segmentFiles()).to.have.length(3);
    for (const entry of first.toArray().slice(0, 4)) first.remove(entry);
    await first.flush();
    expect(await segmentFiles()).to.deep.equal(['0000000000000005.jsonl']);
    await first.close();
    const { buffer: sut } = await open();
    expect(seqs(sut)).to.deep.equal([5, 6]);
  });

  it('should delete a full segment as soon as all of it is acknowledged', async () => {
    const { buffer: sut } = await open({ segmentSize: 2 });
    for (let seq = 1; seq <= 3; seq += 1) {
      sut.push(snapshot(seq));
      sut.remove(sut.peek() as Snapshot);
    }
    await sut.flush();
    expect(await segmentFiles()).to.deep.equal(['0000000000000003.jsonl']);
    await sut.close();
    const { buffer: reopened, seqFloor } = await open();
    expect(reopened.size).to.equal(0);
    expect(seqFloor).to.equal(4);
  });

  it('should keep the spool within the buffer size plus one segment, dropping the oldest', async () => {
    const { buffer: sut } = await open({ capacity: 4, segmentSize: 2 });
    let dropped = 0;
    for (let seq = 1; seq <= 10; seq += 1) dropped += sut.push(snapshot(seq));
    await sut.flush();
    expect(dropped).to.equal(6);
    expect(seqs(sut)).to.deep.equal([7, 8, 9, 10]);
    expect(await linesOnDisk()).to.be.at.most(4 + 2);
    await sut.close();
    const { buffer: reopened } = await open({ capacity: 4 });
    expect(seqs(reopened)).to.deep.equal([7, 8, 9, 10]);
  });

  it('should load only the newest snapshots that fit a smaller buffer and say how many it dropped', async () => {
    const { buffer: first } = await open({ capacity: 10 });
    for (let seq = 1; seq <= 6; seq += 1) first.push(snapshot(seq));
    await first.close();
    const { buffer: sut } = await open({ capacity: 2 });
    expect(seqs(sut)).to.deep.equal([5, 6]);
    expect(logger.messages('warn')).to.deep.equal([`spool ${dir}: held 6 unacknowledged snapshots, more than the buffer's 2; dropped the oldest 4`]);
    await sut.close();
    const { buffer: reopened } = await open({ capacity: 10 });
    expect(seqs(reopened)).to.deep.equal([5, 6]);
  });

  it('should put the seq floor above every seq the spool ever held, acknowledged ones included', async () => {
    const { buffer: first, seqFloor: fresh } = await open();
    expect(fresh).to.equal(0);
    for (const seq of [100, 101, 102]) first.push(snapshot(seq));
    for (const entry of first.toArray()) first.remove(entry);
    await first.close();
    const { buffer: sut, seqFloor } = await open();
    expect(sut.size).to.equal(0);
    expect(seqFloor).to.equal(103);
  });

  it('should skip snapshots of another host id and say so', async () => {
    const { buffer: first } = await open({ hostId: 'old-name' });
    first.push(snapshot(1, 'old-name'));
    await first.close();
    const { buffer: sut, seqFloor } = await open({ hostId: 'web-01' });
    expect(sut.size).to.equal(0);
    expect(seqFloor).to.equal(2);
    expect(logger.messages('warn')).to.deep.equal([`spool ${dir}: skipped 1 snapshots of host old-name; this agent is host web-01`]);
  });

  it('should send everything in the spool again when the marker is unreadable, and say so', async () => {
    const { buffer: first } = await open();
    for (const seq of [1, 2, 3]) first.push(snapshot(seq));
    first.remove(first.peek() as Snapshot);
    await first.close();
    await fs.writeFile(join(dir, 'pending-from.json'), '{"pendingFrom": ');
    const { buffer: sut } = await open();
    expect(seqs(sut)).to.deep.equal([1, 2, 3]);
    expect(logger.messages('warn')[0]).to.match(/pending-from\.json: unreadable \(.*\); sending every snapshot in the spool$/);
  });

  if (process.platform !== 'win32') {
    it('should create the directory for this user only (0700) and its files readable by this user only (0600)', async () => {
      dir = join(root, 'nested', 'spool');
      const { buffer: sut } = await open();
      sut.push(snapshot(1));
      sut.push(snapshot(2));
      sut.remove(sut.peek() as Snapshot);
      await sut.flush();
      expect((await fs.stat(dir)).mode & 0o777).to.equal(0o700);
      const names = await fs.readdir(dir);
      expect(names).to.include('pending-from.json');
      for (const name of names) expect((await fs.stat(join(dir, name))).mode & 0o777, name).to.equal(0o600);
    });

    it('should warn when an existing directory is open to other users', async () => {
      await fs.mkdir(dir, { mode: 0o755 });
      await fs.chmod(dir, 0o755);
      await open();
      expect(logger.messages('warn')).to.deep.equal([`spool ${dir}: other users may read it (mode 755); chmod 700 keeps this machine's data private`]);
    });
  }

  it('should fail naming the directory when the path is a file', async () => {
    await fs.writeFile(join(root, 'file'), 'x');
    dir = join(root, 'file');
    let failure: unknown;
    try {
      await open();
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.match(new RegExp(`^cannot use the spool directory ${dir}: `));
  });
});
