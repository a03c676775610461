import * as path from 'node:path';
import { expect } from 'chai';
import { parseHubConfig, type HubConfig, type HubConfigResult } from './hub-config';
import { DEFAULT_RETENTION } from './retention';

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

    expect(sut).to.deep.equal({
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve(cwd, 'data'),
      agentToken: null,
      singleHost: false,
      publicDashboard: false,
      adminPassword: null,
      retention: DEFAULT_RETENTION,
      tlsCert: null,
      tlsKey: null,
      agentRelease: null,
      publicUrl: [],
      allowedHosts: [],
      maxHosts: 20_000,
      maxConnectionsPerAddress: 256,
      latestMemoryMb: null,
    });
  });

  it('should read every setting from its environment variable', () => {
    const sut = ok(
      parseHubConfig(
        [],
        {
          HOSTWATCH_PORT: '8080',
          HOSTWATCH_HOST: '127.0.0.1',
          HOSTWATCH_DATA_DIR: '/var/lib/hw',
          HOSTWATCH_AGENT_TOKEN: 's3cret',
          HOSTWATCH_SINGLE_HOST: '1',
          HOSTWATCH_MAX_HOSTS: '50',
          HOSTWATCH_MAX_CONNECTIONS_PER_ADDRESS: '9',
          HOSTWATCH_LATEST_MEMORY_MB: '64',
        },
        cwd,
      ),
    );

    expect(sut).to.deep.equal({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/var/lib/hw',
      agentToken: 's3cret',
      singleHost: true,
      publicDashboard: false,
      adminPassword: null,
      retention: DEFAULT_RETENTION,
      tlsCert: null,
      tlsKey: null,
      agentRelease: null,
      publicUrl: [],
      allowedHosts: [],
      maxHosts: 50,
      maxConnectionsPerAddress: 9,
      latestMemoryMb: 64,
    });
  });

  it('should let flags win over environment variables', () => {
    const sut = ok(
      parseHubConfig(
        ['--port', '0', '--host', '::1', '--data-dir', 'state', '--agent-token', 'from-flag', '--single-host'],
        {
          HOSTWATCH_PORT: '8080',
          HOSTWATCH_HOST: '127.0.0.1',
          HOSTWATCH_DATA_DIR: '/var/lib/hw',
          HOSTWATCH_AGENT_TOKEN: 'from-env',
          HOSTWATCH_SINGLE_HOST: 'false',
        },
        cwd,
      ),
    );

    expect(sut).to.deep.equal({
      port: 0,
      host: '::1',
      dataDir: path.resolve(cwd, 'state'),
      agentToken: 'from-flag',
      singleHost: true,
      publicDashboard: false,
      adminPassword: null,
      retention: DEFAULT_RETENTION,
      tlsCert: null,
      tlsKey: null,
      agentRelease: null,
      publicUrl: [],
      allowedHosts: [],
      maxHosts: 20_000,
      maxConnectionsPerAddress: 256,
      latestMemoryMb: null,
    });
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

  it('should refuse a host cap or connection cap that is not a whole number from 1, naming its source', () => {
    const message = error(parseHubConfig(['--max-hosts', '0'], { HOSTWATCH_MAX_CONNECTIONS_PER_ADDRESS: 'lots' }, cwd));

    expect(message).to.contain("--max-hosts (flag): must be a whole number from 1 to 1000000, got '0'");
    expect(message).to.contain('HOSTWATCH_MAX_CONNECTIONS_PER_ADDRESS (environment): must be a whole number from 1');
  });

  it('should refuse a memory budget for latest snapshots that is not a whole number of MiB from 1, naming its source', () => {
    expect(error(parseHubConfig(['--latest-memory-mb', '0.5'], {}, cwd))).to.contain(
      "--latest-memory-mb (flag): must be a whole number from 1 to 1000000, got '0.5'",
    );
    expect(error(parseHubConfig([], { HOSTWATCH_LATEST_MEMORY_MB: 'lots' }, cwd))).to.contain(
      'HOSTWATCH_LATEST_MEMORY_MB (environment): must be a whole number from 1',
    );
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
    for (const name of [
      '--port',
      '--host',
      '--data-dir',
      '--agent-token',
      '--retention',
      '--config',
      '--max-hosts',
      '--max-connections-per-address',
      '--latest-memory-mb',
      'token add|list|revoke',
      'HOSTWATCH_PORT',
      'HOSTWATCH_HOST',
      'HOSTWATCH_DATA_DIR',
      'HOSTWATCH_AGENT_TOKEN',
      'HOSTWATCH_RETENTION',
      'HOSTWATCH_CONFIG',
      'HOSTWATCH_MAX_HOSTS',
      'HOSTWATCH_MAX_CONNECTIONS_PER_ADDRESS',
      'HOSTWATCH_LATEST_MEMORY_MB',
      'raw=48h,1m=30d,1h=1y',
    ]) {
      expect(text).to.contain(name);
    }
  });

  describe('retention', () => {
    const HOUR = 3_600_000;
    const DAY = 24 * HOUR;

    it('should read --retention and keep the defaults of the tiers it leaves out', () => {
      const sut = ok(parseHubConfig(['--retention', 'raw=6h,1h=2y'], {}, cwd));

      expect(sut.retention).to.deep.equal({ raw: 6 * HOUR, '1m': 30 * DAY, '1h': 730 * DAY });
    });

    it('should read every unit', () => {
      const sut = ok(parseHubConfig([], { HOSTWATCH_RETENTION: 'raw=90m,1m=2w,1h=400d' }, cwd));

      expect(sut.retention).to.deep.equal({ raw: 90 * 60_000, '1m': 14 * DAY, '1h': 400 * DAY });
      expect(ok(parseHubConfig(['--retention', 'raw=3600s,1m=1y,1h=1y'], {}, cwd)).retention).to.deep.equal({
        raw: HOUR,
        '1m': 365 * DAY,
        '1h': 365 * DAY,
      });
    });

    it('should let --retention win over HOSTWATCH_RETENTION', () => {
      const sut = ok(parseHubConfig(['--retention', 'raw=1h'], { HOSTWATCH_RETENTION: 'raw=2h' }, cwd));

      expect(sut.retention?.raw).to.equal(HOUR);
    });

    it('should refuse a zero, unitless or unknown-unit duration naming --retention', () => {
      expect(error(parseHubConfig(['--retention', 'raw=0h'], {}, cwd)))
        .to.contain('--retention (flag)')
        .and.contain('longer than 0');
      expect(error(parseHubConfig(['--retention', 'raw=48'], {}, cwd)))
        .to.contain('--retention (flag)')
        .and.contain('needs a unit');
      expect(error(parseHubConfig(['--retention', 'raw=2x'], {}, cwd))).to.contain('needs a unit');
    });

    it('should refuse an unknown or repeated tier and text that is not TIER=DURATION', () => {
      expect(error(parseHubConfig(['--retention', '5m=1d'], {}, cwd))).to.contain("unknown tier '5m'");
      expect(error(parseHubConfig(['--retention', 'raw=1d,raw=2d'], {}, cwd))).to.contain("tier 'raw' is given twice");
      expect(error(parseHubConfig(['--retention', 'forever'], {}, cwd))).to.contain("'forever' is not TIER=DURATION");
      expect(error(parseHubConfig([], { HOSTWATCH_RETENTION: ' , ' }, cwd))).to.contain('HOSTWATCH_RETENTION (environment)');
    });

    it('should refuse a coarser tier that keeps less than a finer one', () => {
      const message = error(parseHubConfig(['--retention', 'raw=60d'], {}, cwd));

      expect(message).to.contain('--retention (flag)').and.contain('1m (30d) must keep at least as long as raw (60d)');
    });
  });

  describe('config file', () => {
    const files = new Map<string, string>();
    const read = (file: string): string => {
      const text = files.get(file);
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
      return text;
    };

    beforeEach(() => files.clear());

    it('should read every setting from the file named by --config, with a relative dataDir relative to the file', () => {
      files.set(
        '/etc/hostwatch/hub.json',
        JSON.stringify({ port: 8080, host: '127.0.0.1', dataDir: 'data', agentToken: 'from-file', singleHost: true, retention: 'raw=1d', maxHosts: 100 }),
      );

      const sut = ok(parseHubConfig(['--config', '/etc/hostwatch/hub.json'], {}, cwd, read));

      expect(sut).to.deep.equal({
        port: 8080,
        host: '127.0.0.1',
        dataDir: '/etc/hostwatch/data',
        agentToken: 'from-file',
        singleHost: true,
        publicDashboard: false,
        adminPassword: null,
        retention: { ...DEFAULT_RETENTION, raw: 24 * 3_600_000 },
        tlsCert: null,
        tlsKey: null,
        agentRelease: null,
        publicUrl: [],
        allowedHosts: [],
        maxHosts: 100,
        maxConnectionsPerAddress: 256,
        latestMemoryMb: null,
      });
    });

    it('should find the file through HOSTWATCH_CONFIG, relative to the working directory', () => {
      files.set(path.resolve(cwd, 'hub.json'), JSON.stringify({ port: 4000 }));

      expect(ok(parseHubConfig([], { HOSTWATCH_CONFIG: 'hub.json' }, cwd, read)).port).to.equal(4000);
    });

    it('should let flags win over the environment and the environment over the file', () => {
      files.set('/hub.json', JSON.stringify({ port: 4000, host: '10.0.0.1', retention: 'raw=1d' }));

      const sut = ok(parseHubConfig(['--config', '/hub.json', '--port', '5000'], { HOSTWATCH_PORT: '6000', HOSTWATCH_HOST: '10.0.0.2' }, cwd, read));

      expect(sut.port).to.equal(5000);
      expect(sut.host).to.equal('10.0.0.2');
      expect(sut.retention?.raw).to.equal(24 * 3_600_000);
    });

    it('should bind to loopback when the file asks for single-host mode', () => {
      files.set('/hub.json', JSON.stringify({ singleHost: true }));

      expect(ok(parseHubConfig(['--config', '/hub.json'], {}, cwd, read)).host).to.equal('127.0.0.1');
    });

    it('should name an unknown key and the file, and a bad value with its key and file', () => {
      files.set('/hub.json', JSON.stringify({ prot: 80, port: 'abc', retention: 'raw=0s', host: ['a'] }));

      const message = error(parseHubConfig(['--config', '/hub.json'], {}, cwd, read));

      expect(message).to.contain('"prot" in /hub.json: unknown key');
      expect(message).to.contain('"port" in /hub.json (config file): must be a whole number');
      expect(message).to.contain('"retention" in /hub.json (config file)').and.contain('longer than 0');
      expect(message).to.contain('"host" in /hub.json: must be a string, number or boolean');
    });

    it('should report a missing file, bad JSON and a JSON value that is not an object naming the source', () => {
      expect(error(parseHubConfig(['--config', '/missing.json'], {}, cwd, read))).to.contain('--config (flag): /missing.json cannot be read');
      files.set('/bad.json', '{ port: 1');
      expect(error(parseHubConfig([], { HOSTWATCH_CONFIG: '/bad.json' }, cwd, read))).to.contain('HOSTWATCH_CONFIG (environment): /bad.json is not valid JSON');
      files.set('/list.json', '[1]');
      expect(error(parseHubConfig(['--config', '/list.json'], {}, cwd, read))).to.contain('/list.json must hold a JSON object');
    });
  });

  describe('TLS', () => {
    it('should resolve --tls-cert and --tls-key against the working directory', () => {
      const sut = ok(parseHubConfig(['--tls-cert', 'tls/cert.pem', '--tls-key', '/etc/hw/key.pem'], {}, cwd));

      expect(sut.tlsCert).to.equal(path.resolve(cwd, 'tls/cert.pem'));
      expect(sut.tlsKey).to.equal('/etc/hw/key.pem');
    });

    it('should read HOSTWATCH_TLS_CERT and HOSTWATCH_TLS_KEY', () => {
      const sut = ok(parseHubConfig([], { HOSTWATCH_TLS_CERT: '/c.pem', HOSTWATCH_TLS_KEY: '/k.pem' }, cwd));

      expect([sut.tlsCert, sut.tlsKey]).to.deep.equal(['/c.pem', '/k.pem']);
    });

    it('should refuse a certificate without a key, naming both settings', () => {
      const message = error(parseHubConfig(['--tls-cert', '/c.pem'], {}, cwd));

      expect(message).to.contain('--tls-cert (flag): TLS needs both --tls-cert and --tls-key').and.contain('--tls-key is missing');
    });

    it('should refuse a key without a certificate, naming the variable it came from', () => {
      const message = error(parseHubConfig([], { HOSTWATCH_TLS_KEY: '/k.pem' }, cwd));

      expect(message).to.contain('HOSTWATCH_TLS_KEY (environment): TLS needs both').and.contain('--tls-cert is missing');
    });

    it('should read the files of a config file relative to it', () => {
      const files = new Map([['/etc/hostwatch/hub.json', JSON.stringify({ tlsCert: 'cert.pem', tlsKey: 'key.pem' })]]);
      const read = (file: string) => files.get(file) ?? '';

      const sut = ok(parseHubConfig(['--config', '/etc/hostwatch/hub.json'], {}, cwd, read));

      expect([sut.tlsCert, sut.tlsKey]).to.deep.equal(['/etc/hostwatch/cert.pem', '/etc/hostwatch/key.pem']);
    });
  });

  describe('public URL and allowed hosts', () => {
    it('should take --public-url repeated or comma-separated, keeping each origin once', () => {
      const sut = ok(parseHubConfig(['--public-url', 'https://Hub.Example.com/', '--public-url', 'http://hub.lan:3000,https://hub.example.com:443'], {}, cwd));

      expect(sut.publicUrl).to.deep.equal(['https://hub.example.com', 'http://hub.lan:3000']);
    });

    it('should read both from their variables and from lists or strings in the config file, flags winning', () => {
      const env = { HOSTWATCH_PUBLIC_URL: 'https://a.example', HOSTWATCH_ALLOWED_HOSTS: 'a.lan, B.lan:8080' };
      const fromEnv = ok(parseHubConfig([], env, cwd));
      expect([fromEnv.publicUrl, fromEnv.allowedHosts]).to.deep.equal([['https://a.example'], ['a.lan', 'b.lan:8080']]);

      const files = new Map([
        ['/etc/hw.json', JSON.stringify({ publicUrl: ['https://c.example', 'https://d.example'], allowedHosts: 'c.lan,[fd00::1]:3000' })],
      ]);
      const fromFile = ok(parseHubConfig(['--config', '/etc/hw.json'], {}, cwd, (file) => files.get(file) ?? ''));
      expect([fromFile.publicUrl, fromFile.allowedHosts]).to.deep.equal([
        ['https://c.example', 'https://d.example'],
        ['c.lan', '[fd00::1]:3000'],
      ]);

      const fromFlag = ok(parseHubConfig(['--allowed-hosts', 'e.lan', '--config', '/etc/hw.json'], env, cwd, (file) => files.get(file) ?? ''));
      expect([fromFlag.publicUrl, fromFlag.allowedHosts]).to.deep.equal([['https://a.example'], ['e.lan']]);
    });

    it('should refuse a URL with a path, credentials or another scheme, and a host with user info or a path, naming the source', () => {
      for (const url of [
        'https://hub.example.com/hostwatch',
        'ftp://hub.example.com',
        'https://user@hub.example.com',
        'hub.example.com',
        'https://hub.example.com/?a=1',
      ]) {
        expect(error(parseHubConfig(['--public-url', url], {}, cwd)), url).to.contain(`--public-url (flag): '${url}' must be an http or https URL`);
      }
      expect(error(parseHubConfig([], { HOSTWATCH_ALLOWED_HOSTS: 'ok.lan,evil@hub.lan' }, cwd))).to.contain(
        "HOSTWATCH_ALLOWED_HOSTS (environment): 'evil@hub.lan' must be a host name or address",
      );
      const files = new Map([['/etc/hw.json', JSON.stringify({ allowedHosts: [1] })]]);
      expect(error(parseHubConfig(['--config', '/etc/hw.json'], {}, cwd, (file) => files.get(file) ?? ''))).to.contain('"allowedHosts" in /etc/hw.json');
    });
  });
});
