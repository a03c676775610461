import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { expect } from 'chai';
import type { HostDto } from '../hosts/host.dto';
import { defaultAgentReleaseDir } from '../install/agent-release';
import { installCommand, shellWord } from '../install/install-command';
import { Cleanup, eventually, getJson, makeTempDir, startTestHub } from './e2e.helpers';

const TOKEN = 'install-e2e-token-0123456789';
const SCRIPT = path.resolve(__dirname, '../../../agent/install/install.sh');
const HUB_UNIT = path.resolve(__dirname, '../../install/hostwatch-hub.service');
const RELEASE = defaultAgentReleaseDir() ?? '';

/** Debian's dash (its /bin/sh) and busybox's sh: the shells the script is written for. */
const SHELLS: Array<{ name: string; argv: string[] }> = [
  { name: 'dash', argv: ['dash'] },
  { name: 'busybox sh', argv: ['busybox', 'sh'] },
];

/** What the script installs, as paths on the target machine. */
const LAUNCHER = '/opt/hostwatch-agent/hostwatch-agent';
const ENV_FILE = '/etc/hostwatch/agent.env';
const UNIT_FILE = '/etc/systemd/system/hostwatch-agent.service';
const STATE_DIR = '/var/lib/hostwatch-agent';

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command without blocking this process: the hub under test answers from it. */
function run(argv: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(argv[0]!, argv.slice(1), { env: options.env ?? { PATH: process.env['PATH'] }, stdio: [stdin, 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    // A shell that stops early (a bad option) leaves the rest of its input unread.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  });
}

/** The one line the hub shows for a new host, run as it is but by the given shell instead of `sudo sh`, into a root. */
function installFromHub(shell: string[], hubUrl: string, root: string, hostId: string): Promise<Run> {
  const line = installCommand({ hubUrl, tls: false }, { hostId, token: TOKEN });
  expect(line).to.include(' | sudo sh -s -- ');
  return run(['sh', '-c', line.replace(' | sudo sh -s -- ', ` | ${shell.join(' ')} -s -- --root ${shellWord(root)} `)]);
}

/** Every file (not directory) under a root, as paths on the target machine, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => `/${path.relative(root, path.join(entry.parentPath, entry.name))}`)
    .sort();
}

/** KEY=VALUE lines of an env file, as systemd's EnvironmentFile reads the unquoted ones the script writes. */
async function readEnvFile(file: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

/**
 * `systemd-analyze verify` of a unit inside a root: the root gets a copy of
 * the system's own units (its targets) and must hold the unit's ExecStart.
 */
async function verifyUnit(root: string, unit: string): Promise<Run> {
  const systemUnits = path.join(root, 'usr/lib/systemd/system');
  await fs.mkdir(path.dirname(systemUnits), { recursive: true });
  await fs.cp('/usr/lib/systemd/system', systemUnits, { recursive: true, verbatimSymlinks: true });
  const result = await run(['systemd-analyze', 'verify', `--root=${root}`, unit]);
  await fs.rm(path.join(root, 'usr'), { recursive: true, force: true });
  return result;
}

/**
 * Starts the installed agent from the root with its installed settings: the
 * launcher's command with the root before its paths, the env file's values,
 * and the state dir inside the root.
 */
async function startInstalledAgent(root: string, cleanup: Cleanup): Promise<() => string> {
  const launcher = await fs.readFile(path.join(root, LAUNCHER), 'utf8');
  const rooted = path.join(root, 'launcher-in-root');
  await fs.writeFile(rooted, launcher.replaceAll('/opt/hostwatch-agent/', `${root}/opt/hostwatch-agent/`), { mode: 0o755 });
  const settings = await readEnvFile(path.join(root, ENV_FILE));
  expect(settings['HOSTWATCH_SPOOL_DIR']).to.equal(STATE_DIR);
  const child = spawn('sh', [rooted, '--interval', '0.5'], {
    env: { PATH: process.env['PATH'], ...settings, HOSTWATCH_SPOOL_DIR: path.join(root, STATE_DIR) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanup.add(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return () => stderr;
}

/** A stand-in hub for /install/: serves a directory's files, e.g. a release with a byte changed. */
async function serveInstallDir(dir: string, cleanup: Cleanup): Promise<string> {
  const server = http.createServer((request, response) => {
    const name = (request.url ?? '').replace(/^\/install\//, '');
    fs.readFile(path.join(dir, path.basename(name))).then(
      (body) => response.end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the agent install script (e2e)', function () {
  // A real agent samples the real machine and starts its facts process; on 2 shared cores that takes a while.
  this.timeout(90_000);
  let cleanup: Cleanup;
  let root: string;

  beforeEach(async () => {
    cleanup = new Cleanup();
    root = await makeTempDir(cleanup);
  });

  afterEach(() => cleanup.run());

  it('should pass shellcheck', () => {
    const sut = spawnSync('shellcheck', ['--shell=sh', SCRIPT], { encoding: 'utf8' });

    expect(sut.status, `${sut.stdout}${sut.stderr}`).to.equal(0);
  });

  for (const shell of SHELLS) {
    it(`should install from the hub with ${shell.name} into a root, and the installed agent should report to it`, async () => {
      const hub = await startTestHub(cleanup, { agentToken: TOKEN });
      const hostId = `installed-by-${shell.argv[0]}`;

      const sut = await installFromHub(shell.argv, hub.url, root, hostId);

      expect(sut.code, sut.output).to.equal(0);
      expect(sut.output).to.match(/installed the agent \S+ in /);
      expect(sut.output, 'says how to start it').to.include(`exec ${LAUNCHER}`);
      expect(await filesUnder(root)).to.deep.equal([ENV_FILE, UNIT_FILE, LAUNCHER, '/opt/hostwatch-agent/hostwatch-agent.js', '/opt/hostwatch-agent/version']);
      expect((await fs.stat(path.join(root, ENV_FILE))).mode & 0o777).to.equal(0o600);
      expect(await readEnvFile(path.join(root, ENV_FILE))).to.deep.equal({
        HOSTWATCH_HUB: hub.url,
        HOSTWATCH_TOKEN: TOKEN,
        HOSTWATCH_HOST_ID: hostId,
        HOSTWATCH_SPOOL_DIR: STATE_DIR,
      });
      const served = await fs.readFile(path.join(RELEASE, 'hostwatch-agent.js'));
      expect((await fs.readFile(path.join(root, '/opt/hostwatch-agent/hostwatch-agent.js'))).equals(served), 'the bundle as served').to.equal(true);
      expect(await fs.readFile(path.join(root, LAUNCHER), 'utf8')).to.match(
        /exec \/\S*node --jitless --no-expose-wasm --optimize-for-size \/opt\/hostwatch-agent\/hostwatch-agent\.js "\$@"/,
      );

      const stderr = await startInstalledAgent(root, cleanup);
      const host = await eventually(
        async () => {
          const { status, body } = await getJson(`${hub.url}/api/hosts/${hostId}`);
          expect(status, stderr()).to.equal(200);
          expect((body as HostDto).metrics, 'a snapshot').to.not.equal(null);
          return body as HostDto;
        },
        60_000,
        250,
      );
      expect(host.agentVersion).to.equal((await fs.readFile(path.join(root, '/opt/hostwatch-agent/version'), 'utf8')).trim());
    });
  }

  it('should write a unit that systemd-analyze verify accepts, hardened as documented', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });
    const install = await run(['dash', SCRIPT, '--hub', hub.url, '--token', TOKEN, '--root', root]);
    expect(install.code, install.output).to.equal(0);

    const sut = await verifyUnit(root, 'hostwatch-agent.service');

    expect(sut.code, sut.output).to.equal(0);
    // verify only warns about a bad value; the unit must draw no remark at all.
    expect(sut.output).to.equal('');
    const unit = await fs.readFile(path.join(root, UNIT_FILE), 'utf8');
    for (const line of [
      `ExecStart=${LAUNCHER}`,
      `EnvironmentFile=${ENV_FILE}`,
      'DynamicUser=yes',
      'StateDirectory=hostwatch-agent',
      'ProtectSystem=strict',
      'ProtectHome=read-only',
      'PrivateTmp=yes',
      'NoNewPrivileges=yes',
      'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK',
      'Restart=on-failure',
      'RestartPreventExitStatus=2 3',
    ]) {
      expect(unit.split('\n'), line).to.include(line);
    }
    expect(unit, 'nothing that hides other processes from the top list').to.not.match(/^(ProtectProc|ProcSubset)=/m);
  });

  it('should ship a hub unit that systemd-analyze verify accepts', async () => {
    await fs.mkdir(path.join(root, 'etc/systemd/system'), { recursive: true });
    await fs.copyFile(HUB_UNIT, path.join(root, 'etc/systemd/system/hostwatch-hub.service'));
    // Its ExecStart, /usr/bin/node, as the root would have it.
    await fs.mkdir(path.join(root, 'usr/bin'), { recursive: true });

    await fs.writeFile(path.join(root, 'usr/bin/node'), '#!/bin/sh\n', { mode: 0o755 });
    const sut = await verifyUnit(root, 'hostwatch-hub.service');

    expect(sut.code, sut.output).to.equal(0);
    expect(sut.output).to.equal('');
    const unit = (await fs.readFile(HUB_UNIT, 'utf8')).split('\n');
    expect(unit).to.include.members(['DynamicUser=yes', 'StateDirectory=hostwatch-hub', 'Environment=HOSTWATCH_DATA_DIR=/var/lib/hostwatch-hub']);
    expect(unit).to.include.members(['ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'NoNewPrivileges=yes']);
  });

  it('should upgrade in place, keeping the state dir and the settings it is not given', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });
    const first = await run(['dash', SCRIPT, '--hub', hub.url, '--token', TOKEN, '--root', root]);
    expect(first.code, first.output).to.equal(0);
    const state = path.join(root, STATE_DIR);
    await fs.mkdir(state, { recursive: true });
    await fs.writeFile(path.join(state, 'host-key'), 'a-host-key-of-this-machine\n', { mode: 0o600 });
    await fs.writeFile(path.join(state, 'spooled-samples'), 'unsent\n');
    await fs.appendFile(path.join(root, ENV_FILE), 'HOSTWATCH_INTERVAL=10\n');

    const sut = await run(['busybox', 'sh', SCRIPT, '--hub', hub.url, '--root', root]);

    expect(sut.code, sut.output).to.equal(0);
    expect(sut.output).to.match(/upgraded the agent from \S+ to \S+/);
    expect(await fs.readFile(path.join(state, 'host-key'), 'utf8')).to.equal('a-host-key-of-this-machine\n');
    expect(await fs.readFile(path.join(state, 'spooled-samples'), 'utf8')).to.equal('unsent\n');
    expect(await readEnvFile(path.join(root, ENV_FILE))).to.deep.equal({
      HOSTWATCH_INTERVAL: '10',
      HOSTWATCH_HUB: hub.url,
      HOSTWATCH_TOKEN: TOKEN,
      HOSTWATCH_SPOOL_DIR: STATE_DIR,
    });
    expect((await fs.stat(path.join(root, ENV_FILE))).mode & 0o777).to.equal(0o600);
  });

  it('should remove everything it installed with --uninstall, and the state dir too with --purge', async () => {
    const hub = await startTestHub(cleanup, { agentToken: TOKEN });
    const install = await run(['dash', SCRIPT, '--hub', hub.url, '--token', TOKEN, '--root', root]);
    expect(install.code, install.output).to.equal(0);
    await fs.mkdir(path.join(root, STATE_DIR), { recursive: true });
    await fs.writeFile(path.join(root, STATE_DIR, 'host-key'), 'a-host-key-of-this-machine\n');

    const sut = await run(['dash', SCRIPT, '--uninstall', '--root', root]);

    expect(sut.code, sut.output).to.equal(0);
    expect(await filesUnder(root)).to.deep.equal([`${STATE_DIR}/host-key`]);
    const purge = await run(['dash', SCRIPT, '--uninstall', '--purge', '--root', root]);
    expect(purge.code, purge.output).to.equal(0);
    expect(await filesUnder(root)).to.deep.equal([]);
  });

  it('should refuse an artifact whose SHA-256 differs from the manifest, and install nothing', async () => {
    const served = await makeTempDir(cleanup);
    await fs.cp(RELEASE, served, { recursive: true });
    const bundle = await fs.readFile(path.join(served, 'hostwatch-agent.js'));
    bundle[bundle.length - 2] ^= 0x01;
    await fs.writeFile(path.join(served, 'hostwatch-agent.js'), bundle);
    const url = await serveInstallDir(served, cleanup);

    const sut = await run(['dash', SCRIPT, '--hub', url, '--token', TOKEN, '--root', root]);

    expect(sut.code, sut.output).to.equal(1);
    expect(sut.output).to.match(/hostwatch-agent\.js does not match the hub's manifest \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\); nothing was installed/);
    expect(await filesUnder(root)).to.deep.equal([]);
  });

  describe('bad input', () => {
    const usage = (args: string[]) => run(['dash', SCRIPT, ...args]);

    it('should name an unknown option, with the usage, and exit 2', async () => {
      const sut = await usage(['--hub', 'http://127.0.0.1:1', '--token', TOKEN, '--colour']);

      expect(sut.code).to.equal(2);
      expect(sut.output).to.include('unknown option: --colour');
      expect(sut.output).to.include('Usage: install.sh --hub URL --token TOKEN');
    });

    it('should ask for --hub and --token when no earlier install gave them', async () => {
      const noHub = await usage(['--token', TOKEN, '--root', root]);
      const noToken = await usage(['--hub', 'http://127.0.0.1:1', '--root', root]);

      expect(noHub.code).to.equal(2);
      expect(noHub.output).to.include('--hub is required');
      expect(noToken.code).to.equal(2);
      expect(noToken.output).to.include('--token is required');
    });

    it('should refuse a hub URL with a path, and a token the env file could not hold', async () => {
      const withPath = await usage(['--hub', 'http://hub.example:3000/install', '--token', TOKEN, '--root', root]);
      const spaced = await usage(['--hub', 'http://hub.example:3000', '--token', 'two words', '--root', root]);

      expect(withPath.code).to.equal(2);
      expect(withPath.output).to.include("--hub must be the hub's address without a path");
      expect(spaced.code).to.equal(2);
      expect(spaced.output).to.include('--token must be printable ASCII without spaces');
    });

    it('should say so when the hub cannot be reached, and install nothing', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));

      const sut = await usage(['--hub', `http://127.0.0.1:${port}`, '--token', TOKEN, '--root', root]);

      expect(sut.code).to.equal(1);
      expect(sut.output).to.include(`cannot fetch http://127.0.0.1:${port}/install/manifest.json: is the hub reachable at that address?`);
      expect(await filesUnder(root)).to.deep.equal([]);
    });

    it('should refuse a machine it has no executable for when Node.js is too old for the bundle', async () => {
      const bin = await makeTempDir(cleanup);
      await fs.writeFile(path.join(bin, 'uname'), '#!/bin/sh\necho mips\n', { mode: 0o755 });
      await fs.writeFile(path.join(bin, 'node'), '#!/bin/sh\necho v18.20.0\n', { mode: 0o755 });

      const sut = await run(['dash', SCRIPT, '--hub', 'http://127.0.0.1:1', '--token', TOKEN, '--root', root], {
        env: { PATH: `${bin}:${process.env['PATH']}` },
      });

      expect(sut.code).to.equal(1);
      expect(sut.output).to.include("no agent executable is built for this machine's architecture (mips); install Node.js 20 or newer");
    });
  });
});
