import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LinuxRoots } from '../linux/linux-roots.util';

/** A made-up /proc, /sys and /etc in a temp dir, for the Linux probes to read. */
export class FakeLinuxTree {
  private constructor(readonly dir: string) {}

  static async create(): Promise<FakeLinuxTree> {
    return new FakeLinuxTree(await mkdtemp(join(tmpdir(), 'hostwatch-linux-')));
  }

  get roots(): LinuxRoots {
    return { proc: join(this.dir, 'proc'), sys: join(this.dir, 'sys'), etc: join(this.dir, 'etc') };
  }

  /** Writes `text` at a path under the tree (`proc/stat`, `sys/class/net/eth0/speed`), making its folders. */
  async write(path: string, text: string | Buffer): Promise<void> {
    const full = join(this.dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
  }

  async writeAll(files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) await this.write(path, text);
  }

  async remove(path: string): Promise<void> {
    await rm(join(this.dir, path), { recursive: true, force: true });
  }

  path(path: string): string {
    return join(this.dir, path);
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
