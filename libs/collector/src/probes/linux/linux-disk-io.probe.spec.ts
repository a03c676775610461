import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_LINUX_ROOTS } from '../../linux/linux-roots.util';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxDiskIoProbe, parseDiskstats } from './linux-disk-io.probe';

/** /proc/diskstats lines: name, sectors read, sectors written. */
function diskstats(devices: Array<[string, number, number]>): string {
  return devices.map(([name, read, written], i) => `   8      ${i} ${name} 100 0 ${read} 50 200 0 ${written} 70 0 120 120 0 0 0 0 0 0`).join('\n') + '\n';
}

describe(LinuxDiskIoProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;
  let sut: LinuxDiskIoProbe;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    for (const disk of ['sda', 'nvme0n1', 'loop0', 'dm-0', 'md0', 'zram0']) await tree.write(`sys/block/${disk}/stat`, '');
    sut = new LinuxDiskIoProbe(tree.roots, clock.now);
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  const before: Array<[string, number, number]> = [
    ['sda', 1_000, 2_000],
    ['sda1', 1_000, 2_000],
    ['nvme0n1', 4_000, 0],
    ['nvme0n1p1', 4_000, 0],
    ['loop0', 0, 0],
    ['dm-0', 5_000, 2_000],
    ['md0', 0, 0],
    ['zram0', 0, 0],
  ];

  it('should report null rates on the first sample', async () => {
    await tree.write('proc/diskstats', diskstats(before));
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: null, writeBytesPerSec: null });
  });

  it('should count 512-byte sectors of whole disks only, leaving out partitions, loop, RAM and stacked devices', async () => {
    await tree.write('proc/diskstats', diskstats(before));
    await sut.sample();
    clock.advance(2_000);
    // Every device moves; only sda (+20 read, +40 written) and nvme0n1 (+60 read) are counted.
    await tree.write(
      'proc/diskstats',
      diskstats([
        ['sda', 1_020, 2_040],
        ['sda1', 1_020, 2_040],
        ['nvme0n1', 4_060, 0],
        ['nvme0n1p1', 4_060, 0],
        ['loop0', 1_000, 1_000],
        ['dm-0', 6_000, 3_000],
        ['md0', 1_000, 1_000],
        ['zram0', 1_000, 1_000],
      ]),
    );
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: (80 * 512) / 2, writeBytesPerSec: (40 * 512) / 2 });
  });

  it('should time a rate by the reads of the counters, not by when the rest of the sample finished', async () => {
    await tree.write('proc/diskstats', diskstats([['sda', 1_000, 0]]));
    // Other work of the first sample (listing disks, other probes on a busy machine) holds it for 500 ms after the read.
    const first = sut.sample();
    clock.advance(500);
    await first;
    clock.advance(1_000);
    await tree.write('proc/diskstats', diskstats([['sda', 1_000 + 3 * 2_000, 0]]));
    // 6,000 sectors over 1.5 s from read to read, not over the 1 s since the first sample ended.
    expect((await sut.sample()).readBytesPerSec).to.equal((6_000 * 512) / 1.5);
  });

  it('should tell partitions by name where sysfs is not mounted', async () => {
    await tree.remove('sys');
    await tree.write(
      'proc/diskstats',
      diskstats([
        ['sda', 0, 0],
        ['sda1', 0, 0],
        ['mmcblk0', 0, 0],
        ['mmcblk0p2', 0, 0],
        ['sdaa', 0, 0],
      ]),
    );
    await sut.sample();
    clock.advance(1_000);
    await tree.write(
      'proc/diskstats',
      diskstats([
        ['sda', 1, 0],
        ['sda1', 1, 0],
        ['mmcblk0', 2, 0],
        ['mmcblk0p2', 2, 0],
        ['sdaa', 4, 0],
      ]),
    );
    expect((await sut.sample()).readBytesPerSec).to.equal(7 * 512);
  });

  it('should not count the whole history of a disk plugged in between two samples', async () => {
    await tree.write('proc/diskstats', diskstats([['sda', 1_000, 0]]));
    await sut.sample();
    clock.advance(1_000);
    await tree.write(
      'proc/diskstats',
      diskstats([
        ['sda', 1_010, 0],
        ['nvme0n1', 9_999_999, 0],
      ]),
    );
    expect((await sut.sample()).readBytesPerSec).to.equal(10 * 512);
  });

  it('should report a write rate on this machine that the kernel counters around each sample bound', async function () {
    let disks: string[];
    try {
      disks = readdirSync('/sys/block').filter((name) => !/^(?:loop|ram|zram|dm-|md)\d/.test(name));
      readFileSync('/proc/diskstats');
    } catch {
      this.skip();
    }
    const written = (): number =>
      parseDiskstats(readFileSync('/proc/diskstats', 'utf8'))
        .filter((d) => disks.includes(d.name.replaceAll('/', '!')))
        .reduce((sum, d) => sum + d.writtenBytes, 0);
    const dir = mkdtempSync(join(tmpdir(), 'hostwatch-disk-'));
    try {
      const probe = new LinuxDiskIoProbe(DEFAULT_LINUX_ROOTS, () => performance.now());
      const t0 = performance.now();
      const before1 = written();
      await probe.sample();
      const after1 = written();
      const t1 = performance.now();
      const fd = openSync(join(dir, 'data'), 'w');
      writeSync(fd, Buffer.alloc(16 * 1024 * 1024, 1));
      fsyncSync(fd);
      closeSync(fd);
      const t2 = performance.now();
      const before2 = written();
      const { writeBytesPerSec } = await probe.sample();
      const after2 = written();
      const t3 = performance.now();
      expect(after2 - before1, 'the kernel saw the write').to.be.at.least(16 * 1024 * 1024);
      expect(writeBytesPerSec).to.be.within((before2 - after1) / ((t3 - t0) / 1000), (after2 - before1) / ((t2 - t1) / 1000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should report null rates when /proc/diskstats cannot be read', async () => {
    await sut.sample();
    clock.advance(1_000);
    expect(await sut.sample()).to.deep.equal({ readBytesPerSec: null, writeBytesPerSec: null });
  });
});
