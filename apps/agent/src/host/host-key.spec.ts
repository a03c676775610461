import { expect } from 'chai';
import * as fs from 'node:fs/promises';
import * as fsSync from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHostKeyFile, loadOrCreateHostKey } from './host-key';

describe('host key', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'hostwatch-key-'));
  });

  afterEach(async () => {
    await fs.chmod(dir, 0o700).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('should create a 43-character key on first run in a private directory and file', async () => {
    const file = join(dir, 'state', 'hostwatch', 'host-key');

    const key = loadOrCreateHostKey(file, fsSync);

    expect(key).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o600);
    expect((await fs.stat(join(dir, 'state', 'hostwatch'))).mode & 0o777).to.equal(0o700);
  });

  it('should return the same key on every later run', async () => {
    const file = join(dir, 'host-key');
    const first = loadOrCreateHostKey(file, fsSync);

    expect(loadOrCreateHostKey(file, fsSync, () => 'another-key-that-must-not-be-used')).to.equal(first);
  });

  it('should agree on one key with an agent that makes it at the same moment, and leave no draft behind', async () => {
    const file = join(dir, 'state', 'host-key');
    let other: string | null = null;
    // The other agent runs just before this one links its key into place.
    const racing = {
      ...fsSync,
      linkSync: (from: fsSync.PathLike, to: fsSync.PathLike) => {
        other ??= loadOrCreateHostKey(file, fsSync, () => 'the-other-agents-key-made-at-the-same-moment');
        fsSync.linkSync(from, to);
      },
    };

    const key = loadOrCreateHostKey(file, racing, () => 'this-agents-key-that-came-second-to-the-file');

    expect(other).to.equal('the-other-agents-key-made-at-the-same-moment');
    expect(key).to.equal(other);
    expect((await fs.readFile(file, 'utf8')).trim()).to.equal(key);
    expect(await fs.readdir(join(dir, 'state'))).to.deep.equal(['host-key']);
  });

  it('should refuse a file that holds no usable key, naming the file', async () => {
    const file = join(dir, 'host-key');
    await fs.writeFile(file, 'short\n');

    const error = attempt(() => loadOrCreateHostKey(file, fsSync));

    expect(error?.message).to.contain(file).and.contain('usable host key');
  });

  it('should fail with a message naming --key-file when the file cannot be created', async function () {
    if (process.getuid?.() === 0) {
      // Root writes through any permission bits, so this run cannot make the directory unwritable.
      console.log('    skipped: running as root, which writes through permission bits');
      this.skip();
    }
    await fs.chmod(dir, 0o500);

    const error = attempt(() => loadOrCreateHostKey(join(dir, 'sub', 'host-key'), fsSync));

    expect(error?.message).to.contain('cannot create the host key file').and.contain('--key-file');
  });

  it('should fail with a message naming --key-file when a file stands where its directory should be', async () => {
    await fs.writeFile(join(dir, 'blocker'), 'x');

    const error = attempt(() => loadOrCreateHostKey(join(dir, 'blocker', 'host-key'), fsSync));

    expect(error?.message).to.contain('host key file').and.contain('--key-file');
  });

  it('should default to the spool directory, else XDG_STATE_HOME, else ~/.local/state', () => {
    const home = () => '/home/ann';
    expect(defaultHostKeyFile('/var/spool/hw', { XDG_STATE_HOME: '/s' }, home)).to.equal('/var/spool/hw/host-key');
    expect(defaultHostKeyFile(null, { XDG_STATE_HOME: '/s' }, home)).to.equal('/s/hostwatch/host-key');
    expect(defaultHostKeyFile(null, {}, home)).to.equal('/home/ann/.local/state/hostwatch/host-key');
    expect(defaultHostKeyFile(null, { XDG_STATE_HOME: 'relative' }, home)).to.equal('/home/ann/.local/state/hostwatch/host-key');
  });
});

function attempt(run: () => unknown): Error | null {
  try {
    run();
    return null;
  } catch (error) {
    return error as Error;
  }
}
