import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { LIMITS } from '@hostwatch/protocol';
import { z } from 'zod';
import { parseRetention, RETENTION_SPEC_HELP, type Retention } from './retention';
import { parseHostName } from './host-policy';
import { DEFAULT_LATEST_KIB_PER_HOST, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_HOSTS } from './host-limits';

/** The hub's settings, parsed once at start-up; everything inside the hub trusts these types. */
export interface HubConfig {
  /** TCP port to listen on; 0 picks any free port. */
  port: number;
  /** Address to bind. */
  host: string;
  /** Absolute path of the directory that holds the hub's data (agent token, history). */
  dataDir: string;
  /** The token agents must present; null means read or generate one in the data dir. */
  agentToken: string | null;
  /** Also run an agent for this machine. */
  singleHost: boolean;
  /** How long each history tier is kept; DEFAULT_RETENTION when left out. */
  retention?: Retention;
  /** On a non-loopback address, serve pages and the read API without sign-in; changes still need it. */
  publicDashboard?: boolean;
  /** The admin password, from HOSTWATCH_ADMIN_PASSWORD only; null or left out: the stored or a generated one. */
  adminPassword?: string | null;
  /** Host ids the hub registers at most; DEFAULT_MAX_HOSTS when left out. */
  maxHosts?: number;
  /** Connections one remote address may hold; DEFAULT_MAX_CONNECTIONS_PER_ADDRESS when left out. */
  maxConnectionsPerAddress?: number;
  /** MiB the hosts' latest snapshots may hold together; null or left out: derived from maxHosts (latestBudgetBytes). */
  latestMemoryMb?: number | null;
  /** PEM certificate (chain) file: with tlsKey, the hub serves https and wss; null or left out: plain http. */
  tlsCert?: string | null;
  /** PEM private key file of tlsCert. */
  tlsKey?: string | null;
  /** Origins the hub is served at (https://hub.example.com): Host and Origin must name one of them or allowedHosts. */
  publicUrl?: string[];
  /** Host names (with an optional port) the hub answers to besides the public URLs and loopback names. */
  allowedHosts?: string[];
  /** The agent release served under /install/; null or left out: dist/release/ of the @hostwatch/agent package beside the hub. */
  agentRelease?: string | null;
}

export type HubConfigResult = { kind: 'ok'; config: HubConfig } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

/** Exit status of a process stopped by bad configuration (the usual one for usage errors). */
export const CONFIG_ERROR_EXIT_CODE = 2;

type Key = Exclude<keyof Required<HubConfig>, 'adminPassword'>;

interface Setting {
  key: Key;
  flag: string;
  env: string;
  valueName?: string;
  description: string;
  /** A list: the flag may be repeated, and every source may give several values separated by commas. */
  list?: true;
}

const SETTINGS: readonly Setting[] = [
  { key: 'port', flag: '--port', env: 'HOSTWATCH_PORT', valueName: 'N', description: 'TCP port to listen on, 0 for any free port (default 3000)' },
  {
    key: 'host',
    flag: '--host',
    env: 'HOSTWATCH_HOST',
    valueName: 'ADDR',
    description: 'address to bind (default 0.0.0.0, every interface; 127.0.0.1 with --single-host)',
  },
  {
    key: 'dataDir',
    flag: '--data-dir',
    env: 'HOSTWATCH_DATA_DIR',
    valueName: 'DIR',
    description: 'directory for the agent token and history (default ./data)',
  },
  {
    key: 'agentToken',
    flag: '--agent-token',
    env: 'HOSTWATCH_AGENT_TOKEN',
    valueName: 'T',
    description: 'token agents must present (default: read <data-dir>/agent-token, or generate it there)',
  },
  { key: 'singleHost', flag: '--single-host', env: 'HOSTWATCH_SINGLE_HOST', description: 'also run an agent for this machine' },
  {
    key: 'maxHosts',
    flag: '--max-hosts',
    env: 'HOSTWATCH_MAX_HOSTS',
    valueName: 'N',
    description: `most hosts the hub registers; a new host over it is refused with HOST_LIMIT until one is forgotten (default ${DEFAULT_MAX_HOSTS})`,
  },
  {
    key: 'maxConnectionsPerAddress',
    flag: '--max-connections-per-address',
    env: 'HOSTWATCH_MAX_CONNECTIONS_PER_ADDRESS',
    valueName: 'N',
    description: `most connections (agents and browsers) one remote address may hold; raise it behind NAT or a reverse proxy (default ${DEFAULT_MAX_CONNECTIONS_PER_ADDRESS})`,
  },
  {
    key: 'latestMemoryMb',
    flag: '--latest-memory-mb',
    env: 'HOSTWATCH_LATEST_MEMORY_MB',
    valueName: 'N',
    description: `MiB of memory the hosts' latest snapshots may hold together; a bigger snapshot past it is refused with MEMORY_LIMIT and sent again later (default: ${DEFAULT_LATEST_KIB_PER_HOST} KiB per host of --max-hosts)`,
  },
  {
    key: 'publicDashboard',
    flag: '--public-dashboard',
    env: 'HOSTWATCH_PUBLIC_DASHBOARD',
    description: 'on a non-loopback address, show pages and the read API without sign-in; changes still need the admin password',
  },
  {
    key: 'retention',
    flag: '--retention',
    env: 'HOSTWATCH_RETENTION',
    valueName: 'SPEC',
    description: `how long history is kept per tier: ${RETENTION_SPEC_HELP}; tiers left out keep their default (default raw=48h,1m=30d,1h=1y)`,
  },
  {
    key: 'tlsCert',
    flag: '--tls-cert',
    env: 'HOSTWATCH_TLS_CERT',
    valueName: 'FILE',
    description: 'PEM certificate (full chain) to serve https and wss with; needs --tls-key (default: plain http)',
  },
  { key: 'tlsKey', flag: '--tls-key', env: 'HOSTWATCH_TLS_KEY', valueName: 'FILE', description: 'PEM private key of --tls-cert' },
  {
    key: 'publicUrl',
    flag: '--public-url',
    env: 'HOSTWATCH_PUBLIC_URL',
    valueName: 'URL',
    list: true,
    description:
      'a URL browsers and agents reach the hub at (https://hub.example.com), repeatable or comma-separated; the hub then answers only to these names, its bind address and loopback names, and takes changes and live sockets only from their pages (default: loopback names only on a loopback address, any name elsewhere)',
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts',
    env: 'HOSTWATCH_ALLOWED_HOSTS',
    valueName: 'H1,H2',
    list: true,
    description: 'host names or addresses, each with an optional :port, that the hub answers to besides --public-url (as it)',
  },
  {
    key: 'agentRelease',
    flag: '--agent-release',
    env: 'HOSTWATCH_AGENT_RELEASE',
    valueName: 'DIR',
    description: "the agent release (manifest.json, install.sh, artifacts) served under /install/ (default: the @hostwatch/agent package's dist/release/)",
  },
];

/** Names the JSON file of settings; not a setting itself, so a config file cannot name another. */
const CONFIG_FILE = {
  flag: '--config',
  env: 'HOSTWATCH_CONFIG',
  valueName: 'FILE',
  description:
    'JSON file of settings with the camelCase names of the flags ({"port": 3000, "dataDir": "/var/lib/hostwatch", "retention": "raw=48h"}); flags and variables win over it; a relative dataDir is relative to the file',
} as const;

export type ReadTextFile = (file: string) => string;

const DEFAULTS: Record<Key, string> = {
  port: '3000',
  host: '0.0.0.0',
  dataDir: './data',
  agentToken: '',
  singleHost: 'false',
  publicDashboard: 'false',
  retention: 'raw=48h,1m=30d,1h=1y',
  maxHosts: String(DEFAULT_MAX_HOSTS),
  maxConnectionsPerAddress: String(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
  latestMemoryMb: '',
  tlsCert: '',
  tlsKey: '',
  publicUrl: '',
  allowedHosts: '',
  agentRelease: '',
};

const SINGLE_HOST_DEFAULT_HOST = '127.0.0.1';

/** Paths that a config file gives relative to itself. */
const RELATIVE_TO_FILE: ReadonlySet<Key> = new Set<Key>(['dataDir', 'tlsCert', 'tlsKey', 'agentRelease']);

const ADMIN_PASSWORD_ENV = 'HOSTWATCH_ADMIN_PASSWORD';
const ADMIN_PASSWORD_LENGTH = { min: 8, max: 1024 };

/** From the environment only: a flag would show the password to every user of the machine in the process list. */
function readAdminPassword(env: NodeJS.ProcessEnv, errors: string[]): string | null {
  const value = env[ADMIN_PASSWORD_ENV];
  if (value === undefined || value === '') return null;
  if (value.length < ADMIN_PASSWORD_LENGTH.min || value.length > ADMIN_PASSWORD_LENGTH.max) {
    // A password is a secret: never echo it back into logs.
    errors.push(`  ${ADMIN_PASSWORD_ENV} (environment): must be ${ADMIN_PASSWORD_LENGTH.min} to ${ADMIN_PASSWORD_LENGTH.max} characters`);
    return null;
  }
  return value;
}

function isSingleHost(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv, file: Partial<Record<Key, string>>): boolean {
  if (flags['singleHost'] !== undefined) return flags['singleHost'] === true;
  const fromEnv = env['HOSTWATCH_SINGLE_HOST'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv === 'true' || fromEnv === '1';
  return file.singleHost === 'true' || file.singleHost === '1';
}

interface ConfigFile {
  path: string;
  values: Partial<Record<Key, string>>;
}

/**
 * Reads the JSON config file into the same text form as flags and variables,
 * so that one schema checks every source. Unknown keys are errors: a typo
 * must not silently fall back to a default.
 */
function readConfigFile(file: string, label: string, readTextFile: ReadTextFile, errors: string[]): ConfigFile {
  const values: Partial<Record<Key, string>> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(file));
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? `is not valid JSON (${error.message})` : `cannot be read (${error instanceof Error ? error.message : String(error)})`;
    errors.push(`  ${label}: ${file} ${reason}`);
    return { path: file, values };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    errors.push(`  ${label}: ${file} must hold a JSON object`);
    return { path: file, values };
  }
  const known = SETTINGS.map((s) => s.key as string);
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.includes(key)) {
      errors.push(`  "${key}" in ${file}: unknown key (known: ${known.join(', ')})`);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      values[key as Key] = String(value);
    } else if (LIST_KEYS.has(key as Key) && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      values[key as Key] = value.join(',');
    } else {
      errors.push(`  "${key}" in ${file}: must be a string, number or boolean`);
    }
  }
  return { path: file, values };
}

const LIST_KEYS: ReadonlySet<Key> = new Set(SETTINGS.filter((s) => s.list).map((s) => s.key));

/** A comma-separated list, each entry read by `parse`, which returns the entry's normal form or why it is wrong. */
const listOf = (parse: (entry: string) => { ok: true; value: string } | { ok: false; message: string }) =>
  z.string().transform((text, ctx) => {
    const values: string[] = [];
    for (const entry of text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')) {
      const result = parse(entry);
      if (result.ok) {
        if (!values.includes(result.value)) values.push(result.value);
      } else {
        ctx.addIssue({ code: 'custom', message: `'${entry.slice(0, 200)}' ${result.message}` });
      }
    }
    return values;
  });

/** An origin: the hub is served at the root of its name, so a path, query or credentials would promise what it does not do. */
function parsePublicUrl(entry: string): { ok: true; value: string } | { ok: false; message: string } {
  const wrong = { ok: false, message: 'must be an http or https URL of the hub, scheme, host and optional port only, like https://hub.example.com' } as const;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return wrong;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return wrong;
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return wrong;
  return { ok: true, value: url.origin };
}

function parseAllowedHost(entry: string): { ok: true; value: string } | { ok: false; message: string } {
  const name = parseHostName(entry);
  if (name === null)
    return { ok: false, message: 'must be a host name or address with an optional :port, like hub.example.com, 192.168.1.10:3000 or [fd00::1]' };
  return { ok: true, value: name.port === null ? name.hostname : `${name.hostname}:${name.port}` };
}

/** An empty path means the setting is off. */
const optionalPath = z
  .string()
  .max(4096, 'must be at most 4096 characters')
  .transform((file) => (file === '' ? null : file));

/** A whole number from 1 to max, written in digits. */
const positiveCount = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().min(1, `must be a whole number from 1 to ${max}`).max(max, `must be a whole number from 1 to ${max}`));

/** Like positiveCount, where an empty value means the setting is left to its derived default (null). */
const optionalCount = (max: number) =>
  z.string().transform((text, ctx) => {
    if (text === '') return null;
    const count = positiveCount(max).safeParse(text);
    if (count.success) return count.data;
    for (const issue of count.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });

const rawSchema = z.object({
  maxHosts: positiveCount(1_000_000),
  maxConnectionsPerAddress: positiveCount(1_000_000),
  latestMemoryMb: optionalCount(1_000_000),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535')),
  host: z
    .string()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .regex(/^[^\s/]+$/, 'must be a host name or IP address, without spaces or slashes'),
  dataDir: z.string().min(1, 'must not be empty'),
  agentToken: z
    .string()
    .max(LIMITS.tokenLength, `must be at most ${LIMITS.tokenLength} characters`)
    .regex(/^[\x21-\x7e]*$/, 'must be printable ASCII without spaces')
    .transform((token) => (token === '' ? null : token)),
  singleHost: z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }).transform((flag) => flag === 'true' || flag === '1'),
  publicDashboard: z.enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' }).transform((flag) => flag === 'true' || flag === '1'),
  tlsCert: optionalPath,
  tlsKey: optionalPath,
  agentRelease: optionalPath,
  publicUrl: listOf(parsePublicUrl),
  allowedHosts: listOf(parseAllowedHost),
  retention: z.string().transform((spec, ctx) => {
    const result = parseRetention(spec);
    if (result.ok) return result.retention;
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  }),
});

function helpText(): string {
  const all = [...SETTINGS, CONFIG_FILE];
  const flags = all.map((s) => `  ${`${s.flag}${s.valueName ? ` ${s.valueName}` : ''}`.padEnd(20)} ${s.description}`);
  const env = all.map((s) => `  ${s.env.padEnd(24)} ${s.flag}`);
  return [
    'Usage: hostwatch-hub [options]',
    '       hostwatch-hub token add|list|revoke ...   (per-host agent tokens; see token --help)',
    '',
    'Runs the Hostwatch hub: agents push their stats to it, browsers watch them at http://HOST:PORT/.',
    '',
    'Options:',
    ...flags,
    `  ${'-h, --help'.padEnd(20)} show this help`,
    '',
    'Environment variables (a flag wins over its variable, a variable over the config file; an empty variable counts as unset):',
    ...env,
    `  ${ADMIN_PASSWORD_ENV.padEnd(24)} the admin password for signing in (environment only; kept as a scrypt hash in the data dir)`,
    '',
  ].join('\n');
}

function buildCommand(): Command {
  const command = new Command('hostwatch-hub')
    .helpOption(false)
    .addOption(new Option('-h, --help'))
    .allowExcessArguments(false)
    .exitOverride()
    // Errors come back as a result so that the caller decides how to report and exit.
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const s of SETTINGS) {
    const option = new Option(s.valueName ? `${s.flag} <${s.valueName.toLowerCase()}>` : s.flag, s.description);
    // A repeated list flag adds to it; the values are joined as a variable would give them.
    if (s.list) option.argParser((value: string, previous: string | undefined) => (previous === undefined ? value : `${previous},${value}`));
    command.addOption(option);
  }
  command.addOption(new Option(`${CONFIG_FILE.flag} <${CONFIG_FILE.valueName.toLowerCase()}>`, CONFIG_FILE.description));
  return command;
}

/**
 * Parses flags, environment and config file into a HubConfig: flags win over
 * environment variables, which win over the config file, which wins over
 * defaults. Every bad value is reported, each with the flag, variable or file
 * key it came from, so one run shows the user all of them.
 */
export function parseHubConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
  readTextFile: ReadTextFile = (file) => fs.readFileSync(file, 'utf8'),
): HubConfigResult {
  const command = buildCommand();
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { kind: 'error', message: `Invalid arguments: ${error.message.replace(/^error: /, '')} (see --help)` };
    throw error;
  }
  const flags = command.opts<Record<string, string | boolean | undefined>>();
  if (flags['help'] === true) return { kind: 'help', text: helpText() };

  const errors: string[] = [];
  const fileFlag = flags['config'];
  const fileEnv = env[CONFIG_FILE.env];
  const filePath = typeof fileFlag === 'string' ? fileFlag : fileEnv !== undefined && fileEnv !== '' ? fileEnv : null;
  const fileLabel = typeof fileFlag === 'string' ? `${CONFIG_FILE.flag} (flag)` : `${CONFIG_FILE.env} (environment)`;
  const file = filePath === null ? null : readConfigFile(path.resolve(cwd, filePath), fileLabel, readTextFile, errors);
  const fromFile = file?.values ?? {};

  const raw = {} as Record<Key, string>;
  const source = {} as Record<Key, string>;
  for (const s of SETTINGS) {
    const fromFlag = flags[s.key];
    const fromEnv = env[s.env];
    const inFile = fromFile[s.key];
    if (fromFlag !== undefined) {
      raw[s.key] = String(fromFlag);
      source[s.key] = `${s.flag} (flag)`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[s.key] = fromEnv;
      source[s.key] = `${s.env} (environment)`;
    } else if (inFile !== undefined && file) {
      // A path in a file is read relative to the file, so the file can move with its data.
      raw[s.key] = RELATIVE_TO_FILE.has(s.key) ? path.resolve(path.dirname(file.path), inFile) : inFile;
      source[s.key] = `"${s.key}" in ${file.path} (config file)`;
    } else if (s.key === 'host' && isSingleHost(flags, env, fromFile)) {
      // One machine watching itself needs no network exposure unless asked for.
      raw[s.key] = SINGLE_HOST_DEFAULT_HOST;
      source[s.key] = `${s.key} (default)`;
    } else {
      raw[s.key] = DEFAULTS[s.key];
      source[s.key] = `${s.key} (default)`;
    }
  }

  const result = rawSchema.safeParse(raw);
  const adminPassword = readAdminPassword(env, errors);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as Key;
      // A token is a secret: never echo it back into logs.
      const shown = key === 'agentToken' ? '' : `, got '${raw[key]}'`;
      errors.push(`  ${source[key]}: ${issue.message}${shown}`);
    }
  }
  if (result.success && (result.data.tlsCert === null) !== (result.data.tlsKey === null)) {
    const [given, missing] = result.data.tlsCert === null ? (['tlsKey', 'tlsCert'] as const) : (['tlsCert', 'tlsKey'] as const);
    const missingSetting = SETTINGS.find((s) => s.key === missing);
    errors.push(`  ${source[given]}: TLS needs both --tls-cert and --tls-key (HOSTWATCH_TLS_CERT and HOSTWATCH_TLS_KEY); ${missingSetting?.flag} is missing`);
  }
  if (!result.success || errors.length > 0) return { kind: 'error', message: `Invalid configuration:\n${errors.join('\n')}` };
  const parsed = { ...result.data, adminPassword };
  const resolve = (file: string | null) => (file === null ? null : path.resolve(cwd, file));
  return {
    kind: 'ok',
    config: {
      ...parsed,
      dataDir: path.resolve(cwd, parsed.dataDir),
      tlsCert: resolve(parsed.tlsCert),
      tlsKey: resolve(parsed.tlsKey),
      agentRelease: resolve(parsed.agentRelease),
    },
  };
}

/** Injection token of the parsed HubConfig. */
export const HUB_CONFIG = Symbol('HubConfig');
