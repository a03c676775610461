import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { expect } from 'chai';
import { Cleanup, makeTempDir } from './e2e.helpers';

// What `npm test` runs before the suites; it lives at the workspace root.
const SCRIPT = path.resolve(__dirname, '../../../../scripts/test-prerequisites.js');
const isRoot = process.getuid?.() === 0;

async function executable(file: string, body: string): Promise<void> {
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** Runs the script with PATH set to `bin` alone, so the test decides which commands exist. */
function runScript(bin: string, chromium: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT], {
    env: { PATH: bin, HOSTWATCH_CHROMIUM: chromium },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the test command's prerequisites (scripts/test-prerequisites.js)", () => {
  let cleanup: Cleanup;
  let bin: string;
  let chromium: string;

  beforeEach(async () => {
    cleanup = new Cleanup();
    const dir = await makeTempDir(cleanup);
    bin = path.join(dir, 'bin');
    await fs.mkdir(bin);
    chromium = path.join(dir, 'chromium');
    await executable(path.join(bin, 'openssl'), 'exit 0');
    await executable(path.join(bin, 'ip'), 'exit 0');
    for (const command of ['shellcheck', 'systemd-analyze', 'busybox']) await executable(path.join(bin, command), 'exit 0');
  });

  afterEach(() => cleanup.run());

  it('should pass quietly when everything is there', async () => {
    await executable(chromium, 'exit 0');

    const sut = runScript(bin, chromium);

    expect(sut.status, sut.output).to.equal(0);
    expect(sut.output).to.include('are present');
  });

  it('should fail with the exact command to run when nothing can install the browser', () => {
    const sut = runScript(bin, chromium);

    expect(sut.status, sut.output).to.equal(1);
    expect(sut.output).to.include(`Missing for the tests: chromium (${chromium})`);
    expect(sut.output).to.include("sudo sh -c 'apt-get update && apt-get install -y chromium'");
    expect(sut.output).to.include('not skipped');
  });

  it('should name every missing package in the one command', async () => {
    await fs.rm(path.join(bin, 'openssl'));
    await fs.rm(path.join(bin, 'ip'));
    await fs.rm(path.join(bin, 'shellcheck'));
    await fs.rm(path.join(bin, 'systemd-analyze'));
    await fs.rm(path.join(bin, 'busybox'));

    const sut = runScript(bin, chromium);

    expect(sut.status, sut.output).to.equal(1);
    expect(sut.output).to.include("sudo sh -c 'apt-get update && apt-get install -y chromium openssl iproute2 shellcheck systemd busybox'");
  });

  it('should install what is missing with apt-get as root, say so, and pass', async function () {
    if (!isRoot) {
      // Not silent: the case needs root, as the install itself does.
      console.log('    skipped: installing needs root, and this run is not root');
      this.skip();
    }
    const calls = path.join(bin, '..', 'apt-calls');
    // A stand-in for apt-get that records its arguments and "installs" the browser where the script looks.
    await executable(
      path.join(bin, 'apt-get'),
      `echo "$@" >> '${calls}'\ncase "$1" in install) printf '#!/bin/sh\\n' > '${chromium}'; /bin/chmod 755 '${chromium}';; esac`,
    );

    const sut = runScript(bin, chromium);

    expect(sut.status, sut.output).to.equal(0);
    expect(sut.output).to.include("Installing Debian's chromium");
    expect((await fs.readFile(calls, 'utf8')).trim().split('\n')).to.deep.equal(['update -qq', 'install -y -qq chromium']);
  });

  it('should fail with the command when apt-get ran but the browser is still missing', async function () {
    if (!isRoot) {
      console.log('    skipped: installing needs root, and this run is not root');
      this.skip();
    }
    await executable(path.join(bin, 'apt-get'), 'exit 0');

    const sut = runScript(bin, chromium);

    expect(sut.status, sut.output).to.equal(1);
    expect(sut.output).to.include('The install did not bring them');
    expect(sut.output).to.include("sudo sh -c 'apt-get update && apt-get install -y chromium'");
  });
});
