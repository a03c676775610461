import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { HostDto } from '../hosts/host.dto';
import { defaultAgentReleaseDir } from '../install/agent-release';
import { Cleanup, eventually, getJson, makeTempDir, startTestHub } from './e2e.helpers';

const TOKEN = 'release-e2e-token-0123456789';
/** The agent's release directory, as the hub serves it. */
const RELEASE = defaultAgentReleaseDir() ?? '';

interface Manifest {
  version: string;
  artifacts: Array<{ file: string; kind: string; arch: string; sha256: string; bytes: number }>;
}

async function manifest(): Promise<Manifest> {
  return JSON.parse(await fs.readFile(path.join(RELEASE, 'manifest.json'), 'utf8')) as Manifest;
}

describe('the agent in one file (e2e)', function () {
  // A real agent samples the real machine and starts its facts process; on 2 shared cores that takes a while.
  this.timeout(60_000);
  let cleanup: Cleanup;

  beforeEach(() => (cleanup = new Cleanup()));
  afterEach(() => cleanup.run());

  it('should list every artifact with the size and SHA-256 it has, and the agent version', async () => {
    const { version, artifacts } = await manifest();
    const agentPackage = JSON.parse(await fs.readFile(path.join(RELEASE, '..', '..', 'package.json'), 'utf8')) as { version: string };

    expect(version).to.equal(agentPackage.version);
    expect(artifacts.map((artifact) => artifact.kind)).to.include('bundle');
    for (const artifact of artifacts) {
      const bytes = await fs.readFile(path.join(RELEASE, artifact.file));
      expect(artifact.bytes, artifact.file).to.equal(bytes.length);
      expect(artifact.sha256, artifact.file).to.equal(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('should run copied alone into an empty directory, with its Node flags, and report to a hub, facts included', async () => {
    const dir = await makeTempDir(cleanup);
    const bundle = path.join(dir, 'hostwatch-agent.js');
    await fs.copyFile(path.join(RELEASE, 'hostwatch-agent.js'), bundle);
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });

    // Run as a command, as its first line says: no node_modules, no checkout, only node on PATH.
    const child = spawn(bundle, ['--hub', hub.url, '--host-id', 'bundled', '--interval', '0.5', '--spool-dir', path.join(dir, 'spool')], {
      cwd: dir,
      env: { PATH: process.env['PATH'], HOSTWATCH_TOKEN: TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    cleanup.add(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    const host = await eventually(
      async () => {
        const { status, body } = await getJson(`${hub.url}/api/hosts/bundled`);
        expect(status, stderr).to.equal(200);
        const dto = body as HostDto;
        expect(dto.metrics, 'a snapshot').to.not.equal(null);
        expect(dto.facts, 'facts, from the bundle started as its own facts process').to.not.equal(null);
        return dto;
      },
      45_000,
      250,
    );
    expect(host.facts?.hostname).to.equal(os.hostname());
    expect(host.agentVersion).to.equal((await manifest()).version);
    if (process.platform === 'linux') {
      const args = (await fs.readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0');
      expect(args).to.include.members(['--jitless', '--no-expose-wasm', '--optimize-for-size', bundle]);
    }
  });
});
