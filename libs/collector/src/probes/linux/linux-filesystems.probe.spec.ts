import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { LinuxFilesystemsProbe, MOUNTS_MAX_AGE_MS, parseMounts, realFilesystems, type FsBlocks } from './linux-filesystems.probe';

describe(LinuxFilesystemsProbe.name, () => {
  let tree: FakeLinuxTree;
  let clock: FakeClock;

  beforeEach(async () => {
    tree = await FakeLinuxTree.create();
    clock = new FakeClock();
    await mkdir(tree.path('data'));
    await mkdir(tree.path('with space'));
  });

  afterEach(async () => {
    await tree.cleanup();
  });

  function fakeStatfs(blocks: Record<string, FsBlocks>, stuck: Set<string> = new Set()): (path: string) => Promise<FsBlocks> {
    return (path) => {
      if (stuck.has(path)) return new Promise(() => undefined);
      const found = blocks[path];
      return found === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(found);
    };
  }

  it('should size a real mount with statfs as df does, leaving out pseudo filesystems', async () => {
    const data = tree.path('data');
    await tree.write(
      'proc/self/mounts',
      [
        `/dev/vda1 ${data} ext4 rw,relatime 0 0`,
        'proc /proc proc rw 0 0',
        `tmpfs ${tree.path('with space').replace(' ', '\\040')} tmpfs rw 0 0`,
        'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
      ].join('\n') + '\n',
    );
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now);
    const filesystems = await sut.sample();
    const expected = statfsSync(data);
    const used = (expected.blocks - expected.bfree) * expected.bsize;
    const available = expected.bavail * expected.bsize;
    expect(filesystems).to.have.length(1);
    expect(filesystems[0]).to.deep.include({ mount: data, fsType: 'ext4', device: '/dev/vda1', sizeBytes: expected.blocks * expected.bsize, usedBytes: used });
    expect(filesystems[0]?.availableBytes).to.be.closeTo(available, 64 * 1024 * 1024);
    expect(filesystems[0]?.usedPercent).to.be.closeTo((used / (used + available)) * 100, 1);
  });

  it('should compute used % with root-reserved blocks counted neither as used nor as available', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n');
    const statfs = fakeStatfs({ '/': { bsize: 4096, blocks: 1_000, bfree: 300, bavail: 100 } });
    const [root] = await new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs }).sample();
    expect(root).to.deep.equal({
      mount: '/',
      fsType: 'ext4',
      device: '/dev/sda1',
      sizeBytes: 4_096_000,
      usedBytes: 2_867_200,
      availableBytes: 409_600,
      usedPercent: 87.5,
    });
  });

  it('should size every filesystem every sample but read the mount table at most once per maximum age', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n');
    const blocks: Record<string, FsBlocks> = { '/': { bsize: 1, blocks: 100, bfree: 70, bavail: 70 } };
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs: fakeStatfs(blocks) });
    expect((await sut.sample())[0]?.usedPercent).to.equal(30);
    blocks['/'] = { bsize: 1, blocks: 100, bfree: 60, bavail: 60 };
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /srv ext4 rw 0 0\n');
    clock.advance(MOUNTS_MAX_AGE_MS - 1);
    expect((await sut.sample()).map((f) => [f.mount, f.usedPercent])).to.deep.equal([['/', 40]]);
    clock.advance(1);
    expect((await sut.sample()).map((f) => f.mount)).to.deep.equal(['/']);
    blocks['/srv'] = { bsize: 1, blocks: 10, bfree: 5, bavail: 5 };
    expect((await sut.sample()).map((f) => [f.mount, f.usedPercent])).to.deep.equal([
      ['/', 40],
      ['/srv', 50],
    ]);
  });

  it('should not wait on a mount whose statfs hangs, keep its last reading, and not ask it again while stuck', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\nnas:/export /mnt/nas nfs4 rw 0 0\n');
    const stuck = new Set<string>();
    let asked = 0;
    const blocks = fakeStatfs(
      { '/': { bsize: 1, blocks: 100, bfree: 50, bavail: 50 }, '/mnt/nas': { bsize: 1, blocks: 1_000, bfree: 100, bavail: 100 } },
      stuck,
    );
    const statfs = (path: string): Promise<FsBlocks> => {
      if (path === '/mnt/nas') asked += 1;
      return blocks(path);
    };
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs, statfsTimeoutMs: 20, maxAgeMs: 1 });
    expect((await sut.sample()).map((f) => f.mount)).to.deep.equal(['/', '/mnt/nas']);
    stuck.add('/mnt/nas');
    clock.advance(1);
    const second = await sut.sample();
    expect(second.find((f) => f.mount === '/mnt/nas')?.usedPercent, 'the last reading').to.equal(90);
    clock.advance(1);
    await sut.sample();
    expect(asked).to.equal(2);
  });

  it('should read the mount table again at once when another filesystem appears at a mount point', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /srv ext4 rw 0 0\n');
    const blocks: Record<string, FsBlocks> = {
      '/': { type: 0xef53, dev: 2049, bsize: 1, blocks: 100, bfree: 70, bavail: 70 },
      '/srv': { type: 0xef53, dev: 2065, bsize: 1, blocks: 10, bfree: 5, bavail: 5 },
    };
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs: fakeStatfs(blocks) });
    expect((await sut.sample()).map((f) => f.mount)).to.deep.equal(['/', '/srv']);
    // /srv is unmounted: its directory now belongs to the root filesystem.
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n');
    blocks['/srv'] = blocks['/'] as FsBlocks;
    expect((await sut.sample()).map((f) => f.mount)).to.deep.equal(['/']);
  });

  it('should not read the mount table again when only the sizes move, as they do with writes on ZFS, btrfs and NFS', async () => {
    await tree.write('proc/self/mounts', 'tank/data /tank/data zfs rw 0 0\n');
    const blocks: Record<string, FsBlocks> = { '/tank/data': { type: 0x2fc12fc1, dev: 45, bsize: 1, blocks: 1_000, bfree: 500, bavail: 500 } };
    let asked = 0;
    const sizes = fakeStatfs(blocks);
    const statfs = (path: string): Promise<FsBlocks> => {
      asked += 1;
      return sizes(path);
    };
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs });
    expect((await sut.sample()).map((f) => f.mount)).to.deep.equal(['/tank/data']);
    // A dataset's size is its used bytes plus what the pool has free: writing 100 blocks takes them from both.
    blocks['/tank/data'] = { type: 0x2fc12fc1, dev: 45, bsize: 1, blocks: 1_100, bfree: 500, bavail: 500 };
    // Written now, seen only when the table is read again.
    await tree.write('proc/self/mounts', 'tank/data /tank/data zfs rw 0 0\n/dev/sdb1 /srv ext4 rw 0 0\n');
    blocks['/srv'] = { type: 0xef53, dev: 2065, bsize: 1, blocks: 10, bfree: 5, bavail: 5 };
    const second = await sut.sample();
    expect(second.map((f) => [f.mount, f.sizeBytes, f.usedBytes])).to.deep.equal([['/tank/data', 1_100, 600]]);
    expect(asked, 'one statfs per mount per sample').to.equal(2);
  });

  it('should pick the real filesystems of a mount table', () => {
    const table = [
      'overlay / overlay rw,lowerdir=/a 0 0',
      'overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0',
      '/dev/sda2 /home ext4 rw 0 0',
      '/dev/sda2 /home/user/bind ext4 rw 0 0',
      '/dev/sdb1 /srv/old ext4 rw 0 0',
      '/dev/sdc1 /srv/old xfs rw 0 0',
      '/dev/loop3 /snap/core/1 squashfs ro 0 0',
      'tank/data /tank/data zfs rw 0 0',
      'server:/export /mnt/my\\040files nfs4 ro 0 0',
      'devtmpfs /dev devtmpfs rw 0 0',
    ].join('\n');
    const real = realFilesystems(parseMounts(table));
    expect(real.map((m) => `${m.device} ${m.mount} ${m.type}`)).to.deep.equal([
      'overlay / overlay',
      '/dev/sda2 /home ext4',
      '/dev/sdc1 /srv/old xfs',
      'tank/data /tank/data zfs',
      'server:/export /mnt/my files nfs4',
    ]);
    expect(real.at(-1)?.readOnly).to.equal(true);
  });

  describe('on the filesystem of the temporary directory', () => {
    const fileBytes = 64 * 1024 * 1024;
    // Other programs write to a shared disk too; within the few milliseconds between two reads they move far less than this.
    const slack = 8 * 1024 * 1024;
    let dir: string;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hostwatch-fs-'));
      // The temporary directory's own filesystem, named as a mount so that the probe sizes it with the real statfs.
      await tree.write('proc/self/mounts', `/dev/test ${dir} ext4 rw 0 0\n`);
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function usedNow(): number {
      const s = statfsSync(dir);
      return (s.blocks - s.bfree) * s.bsize;
    }

    function writeFile(path: string, bytes: number): void {
      const fd = openSync(path, 'w');
      try {
        const chunk = Buffer.alloc(1024 * 1024, 1);
        for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }

    it('should show a file written or deleted between two samples in the next sample, as statfs does at that instant', async () => {
      const sut = new LinuxFilesystemsProbe(tree.roots, clock.now);
      const [before] = await sut.sample();
      writeFile(join(dir, 'big'), fileBytes);
      const [afterWrite] = await sut.sample();
      const kernelAfterWrite = usedNow();
      rmSync(join(dir, 'big'));
      const [afterDelete] = await sut.sample();
      const kernelAfterDelete = usedNow();

      expect(afterWrite?.usedBytes).to.be.closeTo(kernelAfterWrite, slack);
      expect((afterWrite?.usedBytes ?? 0) - (before?.usedBytes ?? 0)).to.be.closeTo(fileBytes, slack);
      expect(afterDelete?.usedBytes).to.be.closeTo(kernelAfterDelete, slack);
      expect((afterWrite?.usedBytes ?? 0) - (afterDelete?.usedBytes ?? 0)).to.be.closeTo(fileBytes, slack);
    });

    it('should give used % as df does: used against used plus available, which df rounds up', async function () {
      let df: string;
      try {
        df = execFileSync('df', ['-B1', '--output=used,avail,pcent', dir], { encoding: 'utf8' });
      } catch {
        this.skip();
      }
      const [fs] = await new LinuxFilesystemsProbe(tree.roots, clock.now).sample();
      const [used, available, percent] = (df.trim().split('\n')[1] ?? '')
        .trim()
        .split(/\s+/)
        .map((field) => Number.parseInt(field, 10));
      expect(fs?.usedBytes).to.be.closeTo(used as number, slack);
      expect(fs?.availableBytes).to.be.closeTo(available as number, slack);
      expect(Math.ceil(fs?.usedPercent ?? Number.NaN)).to.be.closeTo(percent as number, 1);
      expect(fs?.usedPercent).to.be.closeTo(((fs?.usedBytes ?? 0) / ((fs?.usedBytes ?? 0) + (fs?.availableBytes ?? 0))) * 100, 1e-9);
    });
  });

  it('should report no filesystems when the mount table cannot be read', async () => {
    expect(await new LinuxFilesystemsProbe(tree.roots, clock.now).sample()).to.deep.equal([]);
  });
});
