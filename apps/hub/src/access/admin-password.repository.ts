import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const ADMIN_PASSWORD_FILE = 'admin-password';

export interface StoredPasswordHash {
  hash: string;
  /** The file's permission bits, so that a readable-by-others file can be reported and fixed. */
  mode: number;
  file: string;
}

/** Reads and writes the admin password's hash in the data directory; the password itself is never written. */
@Injectable()
export class AdminPasswordRepository {
  fileIn(dataDir: string): string {
    return path.join(dataDir, ADMIN_PASSWORD_FILE);
  }

  async read(dataDir: string): Promise<StoredPasswordHash | null> {
    const file = this.fileIn(dataDir);
    try {
      const [content, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      return { hash: content.trim(), mode: stat.mode & 0o777, file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null;
      throw error;
    }
  }

  /**
   * Writes the hash, owner read/write only, through a temporary file and a
   * rename, so that a crash never leaves a half-written hash that locks the admin out.
   */
  async write(dataDir: string, hash: string): Promise<string> {
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = this.fileIn(dataDir);
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      await fs.writeFile(temporary, `${hash}\n`, { mode: 0o600, flag: 'w' });
      // The mode of writeFile applies only to a new file; a stale temporary one keeps its own.
      await fs.chmod(temporary, 0o600);
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
    return file;
  }

  async restrict(file: string): Promise<void> {
    await fs.chmod(file, 0o600);
  }
}
