import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** dist/main.js, next to this file's folder once compiled. */
export const AGENT_MAIN = join(__dirname, '..', 'main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real agent process, with its output collected as it comes. */
export class AgentProcess {
  private out = '';
  private err = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.err += chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /**
   * Starts `node dist/main.js` with the given arguments. The parent's
   * HOSTWATCH_ variables are left out so that the test alone decides.
   */
  static start(args: readonly string[], env: Record<string, string> = {}, nodeArgs: readonly string[] = []): AgentProcess {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HOSTWATCH_')));
    const child = spawn(process.execPath, [...nodeArgs, AGENT_MAIN, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new AgentProcess(child);
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Resolves with the exit, or fails naming what the process said if it takes longer than ms. */
  async exitWithin(ms: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the agent did not exit within ${ms} ms; stderr:\n${this.err}`)), ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
