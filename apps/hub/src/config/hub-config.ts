import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { LIMITS } from '@hostwatch/protocol';
import { z } from 'zod';

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
}

export type HubConfigResult =
  | { kind: 'ok'; config: HubConfig }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

/** Exit status of a process stopped by bad configuration (the usual one for usage errors). */
export const CONFIG_ERROR_EXIT_CODE = 2;

type Key = keyof HubConfig;

interface Setting {
  key: Key;
  flag: string;
  env: string;
  valueName?: string;
  description: string;
}

const SETTINGS: readonly Setting[] = [
  { key: 'port', flag: '--port', env: 'HOSTWATCH_PORT', valueName: 'N', description: 'TCP port to listen on, 0 for any free port (default 3000)' },
  { key: 'host', flag: '--host', env: 'HOSTWATCH_HOST', valueName: 'ADDR', description: 'address to bind (default 0.0.0.0, every interface; 127.0.0.1 with --single-host)' },
  { key: 'dataDir', flag: '--data-dir', env: 'HOSTWATCH_DATA_DIR', valueName: 'DIR', description: 'directory for the agent token and history (default ./data)' },
  {
    key: 'agentToken',
    flag: '--agent-token',
    env: 'HOSTWATCH_AGENT_TOKEN',
    valueName: 'T',
    description: 'token agents must present (default: read <data-dir>/agent-token, or generate it there)',
  },
  { key: 'singleHost', flag: '--single-host', env: 'HOSTWATCH_SINGLE_HOST', description: 'also run an agent for this machine' },
];

const DEFAULTS: Record<Key, string> = {
  port: '3000',
  host: '0.0.0.0',
  dataDir: './data',
  agentToken: '',
  singleHost: 'false',
};

const SINGLE_HOST_DEFAULT_HOST = '127.0.0.1';

function isSingleHost(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): boolean {
  if (flags['singleHost'] !== undefined) return flags['singleHost'] === true;
  return env['HOSTWATCH_SINGLE_HOST'] === 'true' || env['HOSTWATCH_SINGLE_HOST'] === '1';
}

const rawSchema = z.object({
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
  singleHost: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true, false, 1 or 0' })
    .transform((flag) => flag === 'true' || flag === '1'),
});

function helpText(): string {
  const flags = SETTINGS.map((s) => `  ${`${s.flag}${s.valueName ? ` ${s.valueName}` : ''}`.padEnd(20)} ${s.description}`);
  const env = SETTINGS.map((s) => `  ${s.env.padEnd(24)} ${s.flag}`);
  return [
    'Usage: hostwatch-hub [options]',
    '',
    'Runs the Hostwatch hub: agents push their stats to it, browsers watch them at http://HOST:PORT/.',
    '',
    'Options:',
    ...flags,
    `  ${'-h, --help'.padEnd(20)} show this help`,
    '',
    'Environment variables (a flag wins over its variable; an empty variable counts as unset):',
    ...env,
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
    command.addOption(new Option(s.valueName ? `${s.flag} <${s.valueName.toLowerCase()}>` : s.flag, s.description));
  }
  return command;
}

/**
 * Parses flags and environment into a HubConfig: flags win over environment
 * variables, which win over defaults. Every bad value is reported, each with
 * the flag or variable it came from, so one run shows the user all of them.
 */
export function parseHubConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string = process.cwd()): HubConfigResult {
  const command = buildCommand();
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { kind: 'error', message: `Invalid arguments: ${error.message.replace(/^error: /, '')} (see --help)` };
    throw error;
  }
  const flags = command.opts<Record<string, string | boolean | undefined>>();
  if (flags['help'] === true) return { kind: 'help', text: helpText() };

  const raw = {} as Record<Key, string>;
  const source = {} as Record<Key, string>;
  for (const s of SETTINGS) {
    const fromFlag = flags[s.key];
    const fromEnv = env[s.env];
    if (fromFlag !== undefined) {
      raw[s.key] = String(fromFlag);
      source[s.key] = `${s.flag} (flag)`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[s.key] = fromEnv;
      source[s.key] = `${s.env} (environment)`;
    } else if (s.key === 'host' && isSingleHost(flags, env)) {
      // One machine watching itself needs no network exposure unless asked for.
      raw[s.key] = SINGLE_HOST_DEFAULT_HOST;
      source[s.key] = `${s.key} (default)`;
    } else {
      raw[s.key] = DEFAULTS[s.key];
      source[s.key] = `${s.key} (default)`;
    }
  }

  const result = rawSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path[0] as Key;
      // A token is a secret: never echo it back into logs.
      const shown = key === 'agentToken' ? '' : `, got '${raw[key]}'`;
      return `  ${source[key]}: ${issue.message}${shown}`;
    });
    return { kind: 'error', message: `Invalid configuration:\n${lines.join('\n')}` };
  }
  const parsed = result.data;
  return {
    kind: 'ok',
    config: { ...parsed, dataDir: path.resolve(cwd, parsed.dataDir) },
  };
}

/** Injection token of the parsed HubConfig. */
export const HUB_CONFIG = Symbol('HubConfig');
