import * as path from 'node:path';
import { expect } from 'chai';
import { parseHubConfig, type HubConfig, type HubConfigResult } from './hub-config';

const cwd = '/srv/hostwatch';

function ok(result: HubConfigResult): HubConfig {
  if (result.kind !== 'ok') throw new Error(`expected a config, got ${JSON.stringify(result)}`);
  return result.config;
}

function error(result: HubConfigResult): string {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('parseHubConfig', () => {
  it('should use the defaults when nothing is given', () => {
    const sut = ok(parseHubConfig([], {}, cwd));

    expect(sut).to.deep.equal({ port: 3000, host: '0.0.0.0', dataDir: path.resolve(cwd, 'data'), agentToken: null, singleHost: false });
  });

  it('should read every setting from its environment variable', () => {
    const sut = ok(
      parseHubConfig(
        [],
        { HOSTWATCH_PORT: '8080', HOSTWATCH_HOST: '127.0.0.1', HOSTWATCH_DATA_DIR: '/var/lib/hw', HOSTWATCH_AGENT_TOKEN: 's3cret', HOSTWATCH_SINGLE_HOST: '1' },
        cwd,
      ),
    );

    expect(sut).to.deep.equal({ port: 8080, host: '127.0.0.1', dataDir: '/var/lib/hw', agentToken: 's3cret', singleHost: true });
  });

  it('should let flags win over environment variables', () => {
    const sut = ok(
      parseHubConfig(
        ['--port', '0', '--host', '::1', '--data-dir', 'state', '--agent-token', 'from-flag', '--single-host'],
        { HOSTWATCH_PORT: '8080', HOSTWATCH_HOST: '127.0.0.1', HOSTWATCH_DATA_DIR: '/var/lib/hw', HOSTWATCH_AGENT_TOKEN: 'from-env', HOSTWATCH_SINGLE_HOST: 'false' },
        cwd,
      ),
    );

    expect(sut).to.deep.equal({ port: 0, host: '::1', dataDir: path.resolve(cwd, 'state'), agentToken: 'from-flag', singleHost: true });
  });

  it('should bind to loopback only in single-host mode unless an address is given', () => {
    expect(ok(parseHubConfig(['--single-host'], {}, cwd)).host).to.equal('127.0.0.1');
    expect(ok(parseHubConfig([], { HOSTWATCH_SINGLE_HOST: 'true' }, cwd)).host).to.equal('127.0.0.1');
    expect(ok(parseHubConfig(['--single-host', '--host', '0.0.0.0'], {}, cwd)).host).to.equal('0.0.0.0');
    expect(ok(parseHubConfig(['--single-host'], { HOSTWATCH_HOST: '::' }, cwd)).host).to.equal('::');
  });

  it('should treat an empty environment variable as unset', () => {
    const sut = ok(parseHubConfig([], { HOSTWATCH_PORT: '', HOSTWATCH_AGENT_TOKEN: '' }, cwd));

    expect(sut.port).to.equal(3000);
    expect(sut.agentToken).to.equal(null);
  });

  it('should name every bad key with the flag or variable it came from', () => {
    const message = error(parseHubConfig(['--port', 'abc'], { HOSTWATCH_HOST: 'bad host', HOSTWATCH_SINGLE_HOST: 'maybe' }, cwd));

    expect(message).to.contain("--port (flag): must be a whole number from 0 to 65535, got 'abc'");
    expect(message).to.contain('HOSTWATCH_HOST (environment)');
    expect(message).to.contain('HOSTWATCH_SINGLE_HOST (environment)');
  });

  it('should refuse a port above 65535', () => {
    expect(error(parseHubConfig([], { HOSTWATCH_PORT: '70000' }, cwd))).to.contain('HOSTWATCH_PORT (environment)');
  });

  it('should refuse a negative or fractional port', () => {
    expect(error(parseHubConfig(['--port=-1'], {}, cwd))).to.contain('--port (flag)');
    expect(error(parseHubConfig(['--port', '80.5'], {}, cwd))).to.contain('--port (flag)');
  });

  it('should refuse a bad token without echoing it', () => {
    const message = error(parseHubConfig(['--agent-token', 'has space'], {}, cwd));

    expect(message).to.contain('--agent-token (flag)');
    expect(message).not.to.contain('has space');
  });

  it('should refuse an unknown flag naming it', () => {
    expect(error(parseHubConfig(['--prot', '80'], {}, cwd))).to.contain('--prot');
  });

  it('should refuse a flag without its value naming it', () => {
    expect(error(parseHubConfig(['--port'], {}, cwd))).to.contain('--port');
  });

  it('should answer --help with text that documents every flag and variable', () => {
    const result = parseHubConfig(['--help'], {}, cwd);

    expect(result.kind).to.equal('help');
    const text = result.kind === 'help' ? result.text : '';
    for (const name of ['--port', '--host', '--data-dir', '--agent-token', 'HOSTWATCH_PORT', 'HOSTWATCH_HOST', 'HOSTWATCH_DATA_DIR', 'HOSTWATCH_AGENT_TOKEN']) {
      expect(text).to.contain(name);
    }
  });
});
