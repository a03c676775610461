import { expect } from 'chai';
import { formatConfigErrors, resolveAgentConfig, type AgentConfig, type ConfigSources } from './agent-config';

const REQUIRED = { hub: 'http://hub.example:3000', token: 'secret' };

function resolved(sources: Partial<ConfigSources>): AgentConfig {
  const result = resolveAgentConfig({ flags: {}, env: {}, ...sources });
  if (!result.ok) throw new Error(`expected a valid configuration, got: ${result.errors.join('; ')}`);
  return result.config;
}

function errorsOf(sources: Partial<ConfigSources>): string[] {
  const result = resolveAgentConfig({ flags: {}, env: {}, ...sources });
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.errors;
}

describe('resolveAgentConfig', () => {
  it('should apply the defaults when only hub and token are given', () => {
    const sut = resolved({ flags: REQUIRED });
    expect(sut).to.deep.equal({
      once: false,
      hub: 'http://hub.example:3000',
      token: 'secret',
      intervalMs: 5000,
      hostId: null,
      topProcesses: 5,
      probes: 'auto',
      console: false,
      bufferSize: 720,
      spoolDir: null,
      keyFile: null,
      caFile: null,
      insecure: false,
    });
  });

  it('should size the buffer for one hour of samples at the configured interval, rounded up', () => {
    expect(resolved({ flags: { ...REQUIRED, interval: '1' } }).bufferSize).to.equal(3600);
    expect(resolved({ flags: { ...REQUIRED, interval: '0.3' } }).bufferSize).to.equal(12_000);
    expect(resolved({ flags: { ...REQUIRED, interval: '7' } }).bufferSize).to.equal(515);
    expect(resolved({ flags: { ...REQUIRED, interval: '3600' } }).bufferSize).to.equal(1);
  });

  it('should keep a buffer size that was given, whatever the interval', () => {
    expect(resolved({ flags: { ...REQUIRED, interval: '1', buffer: '50' } }).bufferSize).to.equal(50);
    expect(resolved({ flags: { ...REQUIRED, interval: '1' }, env: { HOSTWATCH_BUFFER: '60' } }).bufferSize).to.equal(60);
  });

  it('should prefer flags over the environment over the config file', () => {
    const sut = resolved({
      flags: { ...REQUIRED, interval: '2' },
      env: { HOSTWATCH_INTERVAL: '3', HOSTWATCH_TOP: '7', HOSTWATCH_BUFFER: '10' },
      file: { path: 'agent.json', values: { interval: 4, top: 9, buffer: 20, hostId: 'from-file' } },
    });
    expect(sut.intervalMs).to.equal(2000);
    expect(sut.topProcesses).to.equal(7);
    expect(sut.bufferSize).to.equal(10);
    expect(sut.hostId).to.equal('from-file');
  });

  it('should read every setting from its HOSTWATCH_ variable', () => {
    const sut = resolved({
      env: {
        HOSTWATCH_HUB: 'https://hub.example',
        HOSTWATCH_TOKEN: 't0k3n',
        HOSTWATCH_INTERVAL: '0.5',
        HOSTWATCH_HOST_ID: 'web-01',
        HOSTWATCH_TOP: '3',
        HOSTWATCH_PROBES: 'Portable',
        HOSTWATCH_CONSOLE: 'yes',
        HOSTWATCH_ONCE: 'false',
        HOSTWATCH_BUFFER: '100',
        HOSTWATCH_SPOOL_DIR: '/var/lib/hostwatch/spool',
        HOSTWATCH_KEY_FILE: '/var/lib/hostwatch/host-key',
        HOSTWATCH_CA: '/etc/hostwatch/ca.pem',
        HOSTWATCH_INSECURE: '1',
      },
    });
    expect(sut).to.deep.equal({
      once: false,
      hub: 'https://hub.example',
      token: 't0k3n',
      intervalMs: 500,
      hostId: 'web-01',
      topProcesses: 3,
      probes: 'portable',
      console: true,
      bufferSize: 100,
      spoolDir: '/var/lib/hostwatch/spool',
      keyFile: '/var/lib/hostwatch/host-key',
      caFile: '/etc/hostwatch/ca.pem',
      insecure: true,
    });
  });

  it('should read every setting from the config file by its camelCase key', () => {
    const sut = resolved({
      file: {
        path: 'agent.json',
        values: {
          hub: 'http://10.0.0.1:3000/',
          token: 'x',
          interval: 0.1,
          hostId: 'db.2',
          top: 50,
          probes: 'linux',
          console: true,
          once: true,
          buffer: 1,
          spoolDir: 'spool',
          keyFile: 'key',
          ca: 'ca.pem',
          insecure: false,
        },
      },
    });
    expect(sut).to.deep.equal({
      once: true,
      hub: 'http://10.0.0.1:3000',
      token: 'x',
      intervalMs: 100,
      hostId: 'db.2',
      topProcesses: 50,
      probes: 'linux',
      console: true,
      bufferSize: 1,
      spoolDir: 'spool',
      keyFile: 'key',
      caFile: 'ca.pem',
      insecure: false,
    });
  });

  it('should refuse a blank spool directory, naming the key', () => {
    const errors = errorsOf({ flags: REQUIRED, file: { path: 'agent.json', values: { spoolDir: '  ' } } });
    expect(errors).to.deep.equal(['"spoolDir" in agent.json: must be a directory path of at most 4096 characters (got "  ")']);
  });

  it('should treat an empty environment variable as unset', () => {
    const sut = resolved({ flags: REQUIRED, env: { HOSTWATCH_INTERVAL: '' }, file: { path: 'a.json', values: { interval: 9 } } });
    expect(sut.intervalMs).to.equal(9000);
  });

  it('should need neither hub nor token with --once', () => {
    const sut = resolved({ flags: { once: true } });
    expect(sut).to.include({ once: true, hub: null, token: null });
  });

  it('should name the flag of a bad value with what it got', () => {
    const errors = errorsOf({ flags: { ...REQUIRED, interval: 'abc' } });
    expect(errors).to.deep.equal(['--interval: must be a number >= 0.1 and <= 3600 (seconds) (got "abc")']);
  });

  it('should refuse a probe set it does not know, naming the three it does', () => {
    expect(errorsOf({ flags: { ...REQUIRED, probes: 'procfs' } })).to.deep.equal(['--probes: must be "auto", "linux" or "portable" (got "procfs")']);
    expect(errorsOf({ flags: REQUIRED, env: { HOSTWATCH_PROBES: 'si' } })[0]).to.match(/^HOSTWATCH_PROBES: must be "auto"/);
    expect(errorsOf({ flags: REQUIRED, file: { path: 'agent.json', values: { probes: 'Linux' } } })[0]).to.match(/^"probes" in agent.json: /);
  });

  it('should name the environment variable of a bad value', () => {
    const errors = errorsOf({ flags: REQUIRED, env: { HOSTWATCH_INTERVAL: 'abc' } });
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^HOSTWATCH_INTERVAL: must be a number/);
  });

  it('should name the file and key of a bad value, and refuse text where the file needs a number', () => {
    const errors = errorsOf({ flags: REQUIRED, file: { path: '/etc/hostwatch/agent.json', values: { top: '5' } } });
    expect(errors).to.deep.equal(['"top" in /etc/hostwatch/agent.json: must be a whole number from 1 to 50 (got "5")']);
  });

  it('should report every bad key at once', () => {
    const errors = errorsOf({
      flags: { hub: 'ftp://hub', interval: '0.05', top: '2.5' },
      env: { HOSTWATCH_HOST_ID: '-bad id', HOSTWATCH_BUFFER: '0', HOSTWATCH_CONSOLE: 'maybe' },
    });
    const named = errors.map((error) => error.split(':')[0]);
    expect(named).to.have.members(['--hub', '--interval', '--top', 'HOSTWATCH_HOST_ID', 'HOSTWATCH_BUFFER', 'HOSTWATCH_CONSOLE', '--token / HOSTWATCH_TOKEN']);
  });

  it('should require hub and token without --once, naming flag and variable', () => {
    const errors = errorsOf({});
    expect(errors).to.deep.equal(['--hub / HOSTWATCH_HUB: required unless --once', '--token / HOSTWATCH_TOKEN: required unless --once']);
  });

  it('should refuse a hub URL with a path, since the path would be lost', () => {
    const errors = errorsOf({ flags: { ...REQUIRED, hub: 'http://hub.example/monitor' } });
    expect(errors[0]).to.match(/^--hub: must be an http\(s\) URL without a path/);
  });

  it('should refuse intervals below 0.1 s and accept fractions above', () => {
    expect(errorsOf({ flags: { ...REQUIRED, interval: '0.09' } })[0]).to.match(/^--interval:/);
    expect(resolved({ flags: { ...REQUIRED, interval: '.25' } }).intervalMs).to.equal(250);
  });

  it('should name unknown keys in the config file', () => {
    const errors = errorsOf({ flags: REQUIRED, file: { path: 'agent.json', values: { intervall: 5, config: 'other.json' } } });
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(/^"intervall" in agent.json: unknown key/);
    expect(errors[1]).to.match(/^"config" in agent.json: unknown key/);
  });

  it('should refuse a config file that is not a JSON object', () => {
    expect(errorsOf({ flags: REQUIRED, file: { path: 'agent.json', values: [1, 2] } })).to.deep.equal(['agent.json: must hold a JSON object']);
  });

  it('should ignore a bad value that a higher source overrides', () => {
    const sut = resolved({ flags: { ...REQUIRED, top: '3' }, env: { HOSTWATCH_TOP: 'many' } });
    expect(sut.topProcesses).to.equal(3);
  });
});

describe('formatConfigErrors', () => {
  it('should put every error on one line after a common prefix', () => {
    expect(formatConfigErrors(['--a: x', 'HOSTWATCH_B: y'])).to.equal('invalid configuration: --a: x; HOSTWATCH_B: y');
  });
});
