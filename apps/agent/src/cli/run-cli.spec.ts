import { expect } from 'chai';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeSetUnavailableError, type CollectorOptions } from '@hostwatch/collector';
import type { HostFacts, Metrics } from '@hostwatch/protocol';
import { settle, waitFor } from '../testing/deferred';
import { FakeCollector } from '../testing/fake-collector';
import { FakeLink } from '../testing/fake-link';
import { FakeClock, FakeTimers } from '../testing/fake-timers';
import type { SocketHubLinkOptions } from '../link/hub-link';
import { runCli, type CliDeps } from './run-cli';

describe('runCli', () => {
  let stdout: string[];
  let stderr: string[];
  let collector: FakeCollector;
  let timers: FakeTimers;
  let link: FakeLink;
  let linkOptions: SocketHubLinkOptions | null;
  let shutdown: AbortController;
  let home: string;

  function deps(args: string[], overrides: Partial<CliDeps> = {}): CliDeps {
    return {
      args,
      env: {},
      stdout: async (text) => void stdout.push(text),
      stderr: (text) => void stderr.push(text),
      readTextFile: () => Promise.reject(new Error('no files here')),
      fs,
      hostname: () => 'web-01',
      homedir: () => home,
      hostKeyFs: fsSync,
      clock: new FakeClock(),
      timers,
      createCollector: () => collector,
      renderTables: (facts: HostFacts, metrics: Metrics) => `tables of ${facts.hostname}, ${metrics.processes.total} processes\n`,
      createLink: (options) => {
        linkOptions = options;
        return link;
      },
      shutdown: shutdown.signal,
      ...overrides,
    };
  }

  beforeEach(async () => {
    home = await fs.mkdtemp(join(tmpdir(), 'hostwatch-cli-home-'));
    stdout = [];
    stderr = [];
    collector = new FakeCollector();
    timers = new FakeTimers();
    link = new FakeLink();
    linkOptions = null;
    shutdown = new AbortController();
  });

  afterEach(async () => {
    shutdown.abort();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('should print the tables of a second sample with --once and exit 0', async () => {
    const running = runCli(deps(['--once']));
    await settle();
    expect(collector.samples).to.equal(1);
    expect(stdout).to.deep.equal([]);
    timers.runTimeouts();
    expect(await running).to.equal(0);
    expect(collector.samples).to.equal(2);
    expect(stdout).to.deep.equal(['tables of web-01, 67 processes\n']);
  });

  it('should connect with the token, host id, protocol version and interval, and exit 0 when stopped', async () => {
    const running = runCli(deps(['--hub', 'http://hub:3000/', '--token', 'abc', '--interval', '2', '--host-id', 'db-1']));
    await settle();
    expect(linkOptions?.hubUrl).to.equal('http://hub:3000');
    const hostKey = (await fs.readFile(join(home, '.local', 'state', 'hostwatch', 'host-key'), 'utf8')).trim();
    expect(hostKey).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(linkOptions?.auth).to.deep.equal({ token: 'abc', hostId: 'db-1', protocolVersion: 1, intervalMs: 2000, agentVersion: '0.1.0', hostKey });
    expect(link.opened).to.equal(true);
    shutdown.abort();
    expect(await running).to.equal(0);
    expect(link.closed).to.equal(true);
    expect(timers.pending).to.equal(0);
  });

  describe('with an https hub', () => {
    const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

    it('should trust the --ca bundle besides the system CAs and verify the certificate', async () => {
      const readTextFile = (path: string) => (path === '/etc/hw/ca.pem' ? Promise.resolve(CA) : Promise.reject(new Error('ENOENT')));
      const running = runCli(deps(['--hub', 'https://hub:3000', '--token', 'abc', '--ca', '/etc/hw/ca.pem'], { readTextFile }));
      await settle();
      expect(linkOptions?.tls?.rejectUnauthorized).to.equal(true);
      expect(linkOptions?.tls?.ca?.at(-1)).to.equal(CA);
      expect(linkOptions?.tls?.ca?.length).to.be.above(1);
      shutdown.abort();
      expect(await running).to.equal(0);
    });

    it('should verify against the system CAs alone without --ca, and warn of nothing', async () => {
      const running = runCli(deps(['--hub', 'https://hub:3000', '--token', 'abc']));
      await settle();
      expect(linkOptions?.tls).to.deep.equal({ rejectUnauthorized: true });
      expect(stderr.join('')).to.not.contain('WARN');
      shutdown.abort();
      await running;
    });

    it('should skip verification with HOSTWATCH_INSECURE, after a loud warning', async () => {
      const running = runCli(deps(['--hub', 'https://hub:3000', '--token', 'abc'], { env: { HOSTWATCH_INSECURE: 'true' } }));
      await settle();
      expect(linkOptions?.tls?.rejectUnauthorized).to.equal(false);
      expect(stderr.join('')).to.contain("WARN !!! --insecure: the hub's TLS certificate is NOT verified");
      shutdown.abort();
      await running;
    });

    it('should exit 2 naming --ca when the file cannot be read or holds no certificate, and connect nowhere', async () => {
      expect(await runCli(deps(['--hub', 'https://hub:3000', '--token', 'abc', '--ca', '/missing.pem']))).to.equal(2);
      expect(stderr.join('')).to.contain('--ca / HOSTWATCH_CA: cannot read "/missing.pem" (no files here)');
      const readTextFile = () => Promise.resolve('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
      expect(await runCli(deps(['--hub', 'https://hub:3000', '--token', 'abc', '--ca', '/key.pem'], { readTextFile }))).to.equal(2);
      expect(stderr.join('')).to.contain('"/key.pem" holds no PEM certificate');
      expect(linkOptions).to.equal(null);
    });
  });

  it('should print the tables every tick with --console', async () => {
    const running = runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc', '--console']));
    await settle();
    timers.tick();
    await settle();
    expect(stdout).to.deep.equal(['tables of web-01, 67 processes\n', 'tables of web-01, 67 processes\n']);
    shutdown.abort();
    await running;
  });

  it('should print nothing on stdout without --console', async () => {
    const running = runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc']));
    await settle();
    timers.tick();
    await settle();
    expect(stdout).to.deep.equal([]);
    shutdown.abort();
    await running;
  });

  it('should exit 3 with a message naming the cause when the hub refuses the protocol version', async () => {
    const running = runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc']));
    await settle();
    link.refuse('UNSUPPORTED_PROTOCOL', 'this hub speaks 2');
    expect(await running).to.equal(3);
    expect(stderr.join('')).to.match(/ERROR hub does not speak protocol version 1 \(UNSUPPORTED_PROTOCOL\): .*this hub speaks 2/);
  });

  it('should exit 1 with the cause when the facts cannot be collected', async () => {
    collector.collectFacts = () => Promise.reject(new Error('cannot read /etc/os-release'));
    const code = await runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc']));
    expect(code).to.equal(1);
    expect(stderr.join('')).to.contain('ERROR cannot read /etc/os-release');
    expect(link.opened).to.equal(false);
  });

  it('should exit 2 with every bad key on one line and start nothing', async () => {
    const code = await runCli(deps(['--top', '0'], { env: { HOSTWATCH_BUFFER: 'lots' } }));
    expect(code).to.equal(2);
    expect(stderr).to.have.length(1);
    expect(stderr[0]).to.match(/^invalid configuration: .*--top: .*HOSTWATCH_BUFFER: /);
    expect(collector.samples).to.equal(0);
  });

  it('should hand the probe set to the collector', async () => {
    const asked: CollectorOptions[] = [];
    const createCollector = (options: CollectorOptions) => {
      asked.push(options);
      return collector;
    };
    const running = runCli(deps(['--once', '--probes', 'portable'], { createCollector }));
    await settle();
    timers.runTimeouts();
    expect(await running).to.equal(0);
    expect(asked).to.deep.equal([{ topProcesses: 5, probes: 'portable' }]);
  });

  it('should exit 2 naming --probes when this machine cannot run the probe set, and connect nowhere', async () => {
    const createCollector = () => {
      throw new ProbeSetUnavailableError('the linux probe set needs a readable /proc');
    };
    const code = await runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc', '--probes', 'linux'], { createCollector }));
    expect(code).to.equal(2);
    expect(stderr).to.deep.equal(['invalid configuration: --probes / HOSTWATCH_PROBES: the linux probe set needs a readable /proc; use auto or portable\n']);
    expect(link.opened).to.equal(false);
  });

  describe('with --spool-dir', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await fs.mkdtemp(join(tmpdir(), 'hostwatch-cli-spool-'));
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('should leave the unacknowledged snapshots on disk when stopped, and send them first on the next run', async () => {
      const args = ['--hub', 'http://hub:3000', '--token', 'abc', '--host-id', 'web-01', '--spool-dir', join(dir, 'spool')];
      const started = () => stderr.filter((line) => line.includes('INFO hostwatch agent')).length;
      const first = runCli(deps(args));
      await waitFor(() => started() === 1, 'the first run to start');
      await settle();
      timers.tick();
      await settle();
      shutdown.abort();
      expect(await first).to.equal(0);

      shutdown = new AbortController();
      link = new FakeLink();
      const clock = new FakeClock(1_764_000_000_000 - 60_000);
      const second = runCli(deps(args, { clock }));
      await waitFor(() => started() === 2, 'the second run to start');
      await settle();
      link.connect();
      await settle();
      expect(link.snapshotSeqs()).to.deep.equal([1_764_000_000_000, 1_764_000_000_001, 1_764_000_000_002]);
      expect(stderr.join('')).to.contain(`spool ${join(dir, 'spool')}: 2 unacknowledged snapshots from an earlier run`);
      shutdown.abort();
      expect(await second).to.equal(0);
    });

    it('should exit 1 naming the directory when it cannot be used', async () => {
      await fs.writeFile(join(dir, 'file'), 'x');
      const code = await runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc', '--spool-dir', join(dir, 'file')]));
      expect(code).to.equal(1);
      expect(stderr.join('')).to.contain(`ERROR cannot use the spool directory ${join(dir, 'file')}: `);
      expect(link.opened).to.equal(false);
    });
  });

  it('should exit 0 without connecting when stopped while the facts are still being collected', async () => {
    collector.collectFacts = () => new Promise<HostFacts>(() => undefined);
    const running = runCli(deps(['--hub', 'http://hub:3000', '--token', 'abc']));
    await settle();
    shutdown.abort();
    expect(await running).to.equal(0);
    expect(link.opened).to.equal(false);
  });
});
