import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { AgentReleaseService } from './agent-release.service';

const SHA = 'a'.repeat(64);

function manifest(version = '0.2.0', files = ['hostwatch-agent.js']) {
  return { version, artifacts: files.map((file) => ({ file, kind: 'bundle', arch: 'any', sha256: SHA, bytes: 3 })) };
}

describe('AgentReleaseService', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'hostwatch-release-'));
    dir = path.join(root, 'release');
    mkdirSync(dir);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(name: string, content: string | object): void {
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }

  function sut(releaseDir: string | null = dir): AgentReleaseService {
    return new AgentReleaseService(releaseDir);
  }

  it('should read the version and artifacts from manifest.json', () => {
    write('manifest.json', manifest('1.4.2'));

    const read = sut().manifest();

    expect(read.ok && read.manifest.version).to.equal('1.4.2');
    expect(read.ok && read.manifest.artifacts.map((artifact) => artifact.file)).to.deep.equal(['hostwatch-agent.js']);
    expect(sut().version()).to.equal('1.4.2');
  });

  it('should serve agent.sh, manifest.json and the listed artifacts, each with its type', () => {
    write('manifest.json', manifest());
    write('install.sh', '#!/bin/sh\n');
    write('hostwatch-agent.js', 'js\n');

    expect(sut().find('agent.sh')).to.deep.equal({ ok: true, file: path.join(dir, 'install.sh'), contentType: 'text/x-shellscript; charset=utf-8' });
    expect(sut().find('manifest.json')).to.deep.equal({ ok: true, file: path.join(dir, 'manifest.json'), contentType: 'application/json; charset=utf-8' });
    expect(sut().find('hostwatch-agent.js')).to.deep.equal({ ok: true, file: path.join(dir, 'hostwatch-agent.js'), contentType: 'application/octet-stream' });
  });

  it('should find nothing that the manifest does not list, whatever lies in or beside the release', () => {
    write('manifest.json', manifest());
    write('hostwatch-agent.js', 'js\n');
    write('install.sh', '#!/bin/sh\n');
    write('notes.txt', 'not listed\n');
    writeFileSync(path.join(root, 'secret'), 'outside\n');

    for (const name of ['install.sh', 'notes.txt', '../secret', '..', '.', '', '/etc/passwd', 'release/../secret']) {
      const found = sut().find(name);
      expect(found.ok, name).to.equal(false);
      expect(!found.ok && found.message, name).to.contain('agent.sh, manifest.json and the files manifest.json lists');
    }
  });

  it('should refuse a manifest that names a path rather than a file of the release', () => {
    write('manifest.json', manifest('0.2.0', ['../secret']));

    const read = sut().manifest();

    expect(read.ok).to.equal(false);
    expect(!read.ok && read.message)
      .to.contain('not valid')
      .and.contain('npm run build');
    expect(sut().find('../secret').ok).to.equal(false);
    expect(sut().version()).to.equal(null);
  });

  it('should say how to build the release when none is built, for every name', () => {
    for (const name of ['agent.sh', 'manifest.json', 'hostwatch-agent.js']) {
      const found = sut().find(name);
      expect(!found.ok && found.message, name)
        .to.contain('No agent release is built')
        .and.contain('npm run build');
    }
    expect(sut().version()).to.equal(null);
    const noPackage = sut(null).find('agent.sh');
    expect(!noPackage.ok && noPackage.message).to.contain('@hostwatch/agent package is not installed');
  });

  it('should say so when the release lacks the install script or a listed file', () => {
    write('manifest.json', manifest());

    const script = sut().find('agent.sh');
    const artifact = sut().find('hostwatch-agent.js');

    expect(!script.ok && script.message).to.contain('no install script');
    expect(!artifact.ok && artifact.message).to.contain('lists hostwatch-agent.js, which is missing');
  });

  it('should see a rebuilt release without a restart', () => {
    write('manifest.json', manifest('0.2.0'));
    const service = sut();
    expect(service.version()).to.equal('0.2.0');

    write('manifest.json', manifest('0.10.0', ['hostwatch-agent.js', 'hostwatch-agent-linux-x64']));

    expect(service.version()).to.equal('0.10.0');
  });

  it('should report a manifest that is not JSON', () => {
    write('manifest.json', '{ not json');

    const read = sut().manifest();

    expect(!read.ok && read.message).to.contain('cannot be read');
  });
});
