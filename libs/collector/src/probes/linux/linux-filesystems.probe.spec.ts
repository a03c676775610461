import { mkdir } from 'node:fs/promises';
import { statfsSync } from 'node:fs';
import { expect } from 'chai';
import { FakeClock } from '../../testing/fake-clock';
import { FakeLinuxTree } from '../../testing/fake-linux-tree';
import { FILESYSTEMS_MAX_AGE_MS } from '../filesystems.probe';
import { LinuxFilesystemsProbe, parseMounts, realFilesystems, type FsBlocks } from './linux-filesystems.probe';

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
      [`/dev/vda1 ${data} ext4 rw,relatime 0 0`, 'proc /proc proc rw 0 0', `tmpfs ${tree.path('with space').replace(' ', '\\040')} tmpfs rw 0 0`, 'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0'].join('\n') + '\n',
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

  it('should read the mount table and sizes at most once per maximum age', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\n');
    const blocks = { '/': { bsize: 1, blocks: 100, bfree: 70, bavail: 70 } };
    const sut = new LinuxFilesystemsProbe(tree.roots, clock.now, { statfs: fakeStatfs(blocks) });
    expect((await sut.sample())[0]?.usedPercent).to.equal(30);
    blocks['/'] = { bsize: 1, blocks: 100, bfree: 60, bavail: 60 };
    clock.advance(FILESYSTEMS_MAX_AGE_MS - 1);
    expect((await sut.sample())[0]?.usedPercent).to.equal(30);
    clock.advance(1);
    expect((await sut.sample())[0]?.usedPercent).to.equal(40);
  });

  it('should not wait on a mount whose statfs hangs, keep its last reading, and not ask it again while stuck', async () => {
    await tree.write('proc/self/mounts', '/dev/sda1 / ext4 rw 0 0\nnas:/export /mnt/nas nfs4 rw 0 0\n');
    const stuck = new Set<string>();
    let asked = 0;
    const blocks = fakeStatfs({ '/': { bsize: 1, blocks: 100, bfree: 50, bavail: 50 }, '/mnt/nas': { bsize: 1, blocks: 1_000, bfree: 100, bavail: 100 } }, stuck);
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

  it('should report no filesystems when the mount table cannot be read', async () => {
    expect(await new LinuxFilesystemsProbe(tree.roots, clock.now).sample()).to.deep.equal([]);
  });
});
