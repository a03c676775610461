import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RULE = '@nx/enforce-module-boundaries';

/** The lint's boundary rule reads the project graph Nx caches, tags included; this makes sure it is the current one. */
function refreshProjectGraph() {
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NX_DAEMON: 'false' },
    stdio: 'ignore',
  });
}

describe('the lint of project boundaries', function () {
  this.timeout(60_000);
  let sut;

  before(() => {
    refreshProjectGraph();
    sut = new ESLint({ cwd: REPO_ROOT });
  });

  /** The lint's messages for `code`, as if it were a new file at `filePath`. */
  async function lint(filePath, code) {
    const [result] = await sut.lintText(`${code}\nexport { x };\n`, { filePath });
    return result.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }));
  }

  async function boundaryErrors(filePath, code) {
    return (await lint(filePath, code)).filter((message) => message.ruleId === RULE && message.severity === 2);
  }

  it('should refuse the hub an import of the agent app', async () => {
    const errors = await boundaryErrors('apps/hub/src/x.ts', "import { x } from '@hostwatch/agent';");

    expect(errors).to.have.length(1);
    expect(errors[0].message).to.equal('Imports of apps are forbidden');
  });

  it('should refuse the hub the agent app through require.resolve', async () => {
    const errors = await boundaryErrors('apps/hub/src/x.ts', "const x = require.resolve('@hostwatch/agent');");

    expect(errors).to.have.length(1);
  });

  it('should refuse the agent an import of the hub app', async () => {
    expect(await boundaryErrors('apps/agent/src/x.ts', "import { x } from '@hostwatch/hub';")).to.have.length(1);
  });

  it('should refuse a lib an import of an app', async () => {
    expect(await boundaryErrors('libs/protocol/src/x.ts', "import { x } from '@hostwatch/hub';")).to.have.length(1);
    expect(await boundaryErrors('libs/collector/src/x.ts', "import { x } from '@hostwatch/agent';")).to.have.length(1);
  });

  it("should refuse the hub the agent's lib by its scope", async () => {
    const errors = await boundaryErrors('apps/hub/src/x.ts', "import { x } from '@hostwatch/collector';");

    expect(errors).to.have.length(1);
    expect(errors[0].message).to.equal('A project tagged with "scope:hub" can only depend on libs tagged with "scope:hub", "scope:shared"');
  });

  it("should refuse an app a path into another package's build output, built or not", async () => {
    const messages = await lint('apps/hub/src/x.ts', "import { x } from '@hostwatch/agent/dist/node-flags';");

    expect(messages.map((message) => message.ruleId)).to.include('no-restricted-imports');
  });

  it('should let each project import what its tags allow', async () => {
    const allowed = [
      ['apps/hub/src/x.ts', "import { x } from '@hostwatch/protocol';"],
      ['apps/agent/src/x.ts', "import { x } from '@hostwatch/collector';"],
      ['apps/agent/src/x.ts', "import { x } from '@hostwatch/protocol/light';"],
      ['libs/collector/src/x.ts', "import { x } from '@hostwatch/protocol';"],
      ['bench/src/x.ts', "import { x } from '@hostwatch/protocol/testing';"],
      ['bench/src/x.ts', "import { x } from '@hostwatch/hub/dist/node-flags';"],
    ];

    for (const [filePath, code] of allowed) expect(await lint(filePath, code), `${filePath}: ${code}`).to.deep.equal([]);
  });
});
