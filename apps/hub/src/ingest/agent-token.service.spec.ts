import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import { AgentTokenRepository } from './agent-token.repository';
import { CapturingLogger } from '../testing/capturing-logger';
import { AgentTokenService } from './agent-token.service';

describe('AgentTokenService', () => {
  let dataDir: string;
  let logs: CapturingLogger;

  beforeEach(async () => {
    dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hostwatch-token-')), 'data');
    logs = new CapturingLogger();
    Logger.overrideLogger(logs);
  });

  afterEach(() => fs.rm(path.dirname(dataDir), { recursive: true, force: true }));

  function create(agentToken: string | null): AgentTokenService {
    const config: HubConfig = { port: 0, host: '127.0.0.1', dataDir, agentToken, singleHost: false };
    return new AgentTokenService(config, new AgentTokenRepository());
  }

  it('should use the configured token and write no file', async () => {
    const sut = create('configured');

    await sut.onModuleInit();

    expect(sut.getToken()).to.equal('configured');
    expect(sut.getOrigin()).to.equal('config');
    const exists = await fs.stat(dataDir).then(
      () => true,
      () => false,
    );
    expect(exists).to.equal(false);
  });

  it('should generate a random base64url token of 32 bytes into an owner-only file', async () => {
    const sut = create(null);

    await sut.onModuleInit();

    expect(sut.getOrigin()).to.equal('generated');
    expect(Buffer.from(sut.getToken(), 'base64url')).to.have.length(32);
    const file = path.join(dataDir, 'agent-token');
    expect((await fs.readFile(file, 'utf8')).trim()).to.equal(sut.getToken());
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o600);
  });

  it('should read the stored token instead of generating another', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'agent-token'), 'stored-token\n', { mode: 0o600 });
    const sut = create(null);

    await sut.onModuleInit();

    expect(sut.getToken()).to.equal('stored-token');
    expect(sut.getOrigin()).to.equal('file');
  });

  it('should warn when the stored token file can be read by others', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'agent-token');
    await fs.writeFile(file, 'stored-token\n');
    await fs.chmod(file, 0o644);

    await create(null).onModuleInit();

    expect(logs.messages('warn').join('\n')).to.contain('chmod 600');
  });

  it('should refuse to start with an empty token file, naming the file', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'agent-token'), '\n', { mode: 0o600 });

    const error = await create(null)
      .onModuleInit()
      .then(
        () => null,
        (rejection: Error) => rejection,
      );

    expect(error?.message).to.contain(path.join(dataDir, 'agent-token'));
  });
});
