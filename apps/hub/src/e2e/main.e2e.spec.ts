import * as path from 'node:path';
import { expect } from 'chai';
import { Cleanup, getJson, makeTempDir, spawnNode } from './e2e.helpers';

const MAIN = path.resolve(__dirname, '..', 'main.js');

describe('hub process (e2e)', () => {
  let cleanup: Cleanup;

  beforeEach(() => {
    cleanup = new Cleanup();
  });

  afterEach(() => cleanup.run());

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnNode(MAIN, args, env, cleanup);

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
    const { child, exited, output, waitFor } = run(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);

    const [, url] = await waitFor(/Dashboard at (http:\/\/127\.0\.0\.1:\d+)\//);
    expect((await getJson(`${url}/healthz`)).body).to.deep.include({ status: 'ok' });
    expect(output()).to.match(/npm run agent -- --hub http:\/\/127\.0\.0\.1:\d+ --token [A-Za-z0-9_-]{43}/);

    child.kill('SIGTERM');
    const exit = await exited;

    expect(exit.code).to.equal(0);
  });
});
