import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentConfig } from './load-agent-config';

const readText = (path: string) => readFile(path, 'utf8');

describe('loadAgentConfig', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostwatch-agent-config-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should read the file named by --config under the flags and environment', async () => {
    const path = join(dir, 'agent.json');
    await writeFile(path, JSON.stringify({ hub: 'http://hub:3000', token: 'file-token', interval: 10, top: 8 }));
    const sut = await loadAgentConfig({ config: path, top: '2' }, { HOSTWATCH_INTERVAL: '1' }, readText);
    expect(sut).to.deep.equal({
      ok: true,
      config: {
        once: false,
        hub: 'http://hub:3000',
        token: 'file-token',
        intervalMs: 1000,
        hostId: null,
        topProcesses: 2,
        probes: 'auto',
        console: false,
        bufferSize: 3600,
        spoolDir: null,
        keyFile: null,
        caFile: null,
        insecure: false,
      },
    });
  });

  it('should read the file named by HOSTWATCH_CONFIG', async () => {
    const path = join(dir, 'agent.json');
    await writeFile(path, JSON.stringify({ once: true }));
    const sut = await loadAgentConfig({}, { HOSTWATCH_CONFIG: path }, readText);
    expect(sut.ok && sut.config.once).to.equal(true);
  });

  it('should name --config when the file is missing', async () => {
    const path = join(dir, 'missing.json');
    const sut = await loadAgentConfig({ config: path }, {}, readText);
    expect(sut.ok).to.equal(false);
    expect(!sut.ok && sut.errors).to.have.length(1);
    expect(!sut.ok && sut.errors[0]).to.match(/^--config: cannot read ".*missing\.json" \(.*ENOENT/);
  });

  it('should name HOSTWATCH_CONFIG when the file is not JSON', async () => {
    const path = join(dir, 'agent.json');
    await writeFile(path, '{ hub: nope');
    const sut = await loadAgentConfig({}, { HOSTWATCH_CONFIG: path }, readText);
    expect(!sut.ok && sut.errors[0]).to.match(/^HOSTWATCH_CONFIG: ".*agent\.json" is not valid JSON/);
  });
});
