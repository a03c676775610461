import { LIMITS, filesystemSchema, parseWith } from '@hostwatch/protocol';
import { expect } from 'chai';
import type { Systeminformation } from 'systeminformation';
import { FakeClock } from '../testing/fake-clock';
import { fsSizeData } from '../testing/system-data.fixtures';
import type { FsBlocks } from '../util/statfs-guard.util';
import { FILESYSTEMS_MAX_AGE_MS, FilesystemsProbe } from './filesystems.probe';

describe(FilesystemsProbe.name, () => {
  let clock: FakeClock;
  let reported: Systeminformation.FsSizeData[];
  let reads: number;
  let blocks: Record<string, FsBlocks>;
  let asked: string[];
  let sut: FilesystemsProbe;

  beforeEach(() => {
    clock = new FakeClock();
    reported = [fsSizeData()];
    reads = 0;
    blocks = {};
    asked = [];
    sut = new FilesystemsProbe(
      {
        fsSize: async () => {
          reads += 1;
          return reported.map((fs) => ({ ...fs }));
        },
        statfs: async (path) => {
          asked.push(path);
          const found = blocks[path];
          if (found === undefined) throw new Error('ENOENT');
          return found;
        },
        platform: 'darwin',
      },
      clock.now,
    );
  });

  it('should report mount, type, device, size, used, available and used %', async () => {
    expect(await sut.sample()).to.deep.equal([
      {
        mount: '/',
        fsType: 'ext4',
        device: '/dev/vda1',
        sizeBytes: 100_000_000_000,
        usedBytes: 30_000_000_000,
        availableBytes: 70_000_000_000,
        usedPercent: 30,
      },
    ]);
  });

  it('should list the filesystems at most once a minute, keeping the listed sizes where statfs fails', async () => {
    await sut.sample();
    reported = [fsSizeData({ used: 40_000_000_000, use: 40 })];
    clock.advance(FILESYSTEMS_MAX_AGE_MS - 1);
    expect((await sut.sample())[0]?.usedPercent).to.equal(30);
    clock.advance(1);
    expect((await sut.sample())[0]?.usedPercent).to.equal(40);
    expect(reads).to.equal(2);
  });

  it('should size each listed filesystem with statfs every sample, as df computes it', async () => {
    blocks['/'] = { bsize: 4096, blocks: 1_000, bfree: 300, bavail: 100 };
    expect((await sut.sample())[0]).to.deep.include({ sizeBytes: 4_096_000, usedBytes: 2_867_200, availableBytes: 409_600, usedPercent: 87.5 });
    blocks['/'] = { bsize: 4096, blocks: 1_000, bfree: 800, bavail: 600 };
    expect((await sut.sample())[0]).to.deep.include({ usedBytes: 819_200, availableBytes: 2_457_600, usedPercent: 25 });
    expect(reads).to.equal(1);
  });

  it('should ask statfs for the root of a Windows drive', async () => {
    reported = [fsSizeData({ mount: 'C:', fs: 'C:', type: 'NTFS' })];
    blocks['C:\\'] = { bsize: 4096, blocks: 1_000, bfree: 250, bavail: 250 };
    const windows = new FilesystemsProbe(
      { fsSize: async () => reported, statfs: async (path) => blocks[path] ?? Promise.reject(new Error('ENOENT')), platform: 'win32' },
      clock.now,
    );
    expect((await windows.sample())[0]).to.deep.include({ mount: 'C:', usedPercent: 75 });
  });

  it('should not let a caller change the cached list', async () => {
    const first = await sut.sample();
    if (first[0]) first[0].mount = '/changed';
    expect((await sut.sample())[0]?.mount).to.equal('/');
  });

  it('should drop filesystems without a mount point or without a size, and repeated mounts', async () => {
    reported = [
      fsSizeData({ mount: '' }),
      fsSizeData({ mount: '/proc', size: 0 }),
      fsSizeData({ mount: '/data' }),
      fsSizeData({ mount: '/data', fs: '/dev/bind' }),
    ];
    const filesystems = await sut.sample();
    expect(filesystems.map((f) => f.mount)).to.deep.equal(['/data']);
    expect(filesystems[0]?.device).to.equal('/dev/vda1');
  });

  it('should report no filesystems, rather than fail the sample, when they cannot be listed', async () => {
    const failing = new FilesystemsProbe(
      { fsSize: () => Promise.reject(new Error('df failed')), statfs: () => Promise.reject(new Error('unused')), platform: 'darwin' },
      clock.now,
    );
    expect(await failing.sample()).to.deep.equal([]);
  });

  it('should compute used % when the platform does not report it', async () => {
    reported = [fsSizeData({ size: 1_000, used: 250, available: 750, use: Number.NaN })];
    expect((await sut.sample())[0]?.usedPercent).to.equal(25);
  });

  it('should cap hostile strings and the number of filesystems so that each validates', async () => {
    reported = Array.from({ length: LIMITS.filesystems + 5 }, (_, i) =>
      fsSizeData({ mount: `/${i}/${'m'.repeat(2000)}`, fs: 'd'.repeat(5000), type: 't'.repeat(500), use: 250 }),
    );
    const filesystems = await sut.sample();
    expect(filesystems).to.have.length(LIMITS.filesystems);
    expect(filesystems[0]?.mount).to.have.length(LIMITS.longText);
    expect(filesystems[0]?.usedPercent).to.equal(100);
    for (const fs of filesystems) {
      const parsed = parseWith(filesystemSchema, fs);
      expect(parsed.ok, parsed.ok ? '' : parsed.message).to.equal(true);
    }
  });
});
