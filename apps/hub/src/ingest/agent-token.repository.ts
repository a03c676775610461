import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const AGENT_TOKEN_FILE = 'agent-token';

export interface StoredToken {
  token: string;
  /** The file's permission bits, so that a readable-by-others token can be reported. */
  mode: number;
  file: string;
}

/** Reads and writes the agent token file in the data directory. */
@Injectable()
export class AgentTokenRepository {
  fileIn(dataDir: string): string {
    return path.join(dataDir, AGENT_TOKEN_FILE);
  }

  async read(dataDir: string): Promise<StoredToken | null> {
    const file = this.fileIn(dataDir);
    try {
      const [content, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      return { token: content.trim(), mode: stat.mode & 0o777, file };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
  }

  /**
   * Creates the data directory (owner only) and the token file (owner read/write only).
   * Returns false when the file already exists, so a concurrent start never overwrites a token.
   */
  async create(dataDir: string, token: string): Promise<boolean> {
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    try {
      await fs.writeFile(this.fileIn(dataDir), `${token}\n`, { mode: 0o600, flag: 'wx' });
      return true;
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return false;
      throw error;
    }
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
