import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import { Cleanup, getJson, makeTempDir } from './e2e.helpers';

const MAIN = path.resolve(__dirname, '..', 'main.js');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('hub process (e2e)', () => {
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exited: Promise<Exit>; output: () => string } {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
    cleanup.add(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    return { child, exited, output: () => stdout + stderr };
  }

  it('should exit 2 naming --port when the port is not a number', async () => {
    const { exited } = run(['--port', 'abc']);

    const exit = await exited;

    expect(exit.code).to.equal(2);
    expect(exit.stderr).to.contain('--port').and.contain('abc');
  });

  it('should exit 2 naming every bad environment variable', async () => {
    const { exited } = run([], { HOSTWATCH_PORT: 'x', HOSTWATCH_HOST: 'a b' });

    const exit = await exited;

    expect(exit.code).to.equal(2);
    expect(exit.stderr).to.contain('HOSTWATCH_PORT').and.contain('HOSTWATCH_HOST');
  });

  it('should print help documenting the flags and exit 0', async () => {
    const exit = await run(['--help']).exited;

    expect(exit.code).to.equal(0);
    expect(exit.stdout).to.contain('--data-dir').and.contain('HOSTWATCH_AGENT_TOKEN');
  });

  it('should log its URL, serve, and exit 0 on SIGTERM', async () => {
    const dataDir = await makeTempDir(cleanup);
    const { child, exited, output } = run(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL logged:\n${output()}`)), 15_000);
      const look = () => {
        const match = /Dashboard at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', look);
      child.stderr?.on('data', look);
      void exited.then(() => reject(new Error(`exited early:\n${output()}`)));
    });
    expect((await getJson(`${url}/healthz`)).body).to.deep.include({ status: 'ok' });
    expect(output()).to.match(/npm run agent -- --hub http:\/\/127\.0\.0\.1:\d+ --token [A-Za-z0-9_-]{43}/);

    child.kill('SIGTERM');
    const exit = await exited;

    expect(exit.code).to.equal(0);
  });
});
