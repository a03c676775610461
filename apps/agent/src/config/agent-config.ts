import type { ProbeSetChoice } from '@hostwatch/collector';
import { LIMITS, isHostId } from '@hostwatch/protocol/light';
import { CONFIG_KEYS, FILE_CONFIG_KEYS, type ConfigKey, type FileConfigKey } from './config-keys';

export const DEFAULT_INTERVAL_SECONDS = 5;
export const DEFAULT_TOP_PROCESSES = 5;
export const PROBE_SETS: readonly ProbeSetChoice[] = ['auto', 'linux', 'portable'];
/** How long a hub may stay away before samples are lost, unless a buffer size is given. */
export const DEFAULT_BUFFER_SECONDS = 3600;
const MAX_BUFFER_SIZE = 100_000;
const MAX_PATH_LENGTH = 4096;

/** One hour of samples at the given interval: enough to ride out a hub restart or an outage. */
export function defaultBufferSize(intervalMs: number): number {
  // In whole milliseconds, so that 0.3 s gives 12000 and not 12001 through a rounding error.
  return Math.min(MAX_BUFFER_SIZE, Math.ceil((DEFAULT_BUFFER_SECONDS * 1000) / intervalMs));
}

/** The settings the agent runs with, after every source has been merged and validated. */
interface CommonConfig {
  intervalMs: number;
  /** null: derive it from the machine id or the host name. */
  hostId: string | null;
  topProcesses: number;
  /** How the machine is read: see ProbeSetChoice. */
  probes: ProbeSetChoice;
  console: boolean;
  bufferSize: number;
  /** null: unacknowledged snapshots live in memory only and a restart loses them. */
  spoolDir: string | null;
  /** The host key file; null: the default place (see defaultHostKeyFile). */
  keyFile: string | null;
  /** PEM file of CA certificates trusted for the hub's https URL besides the system's; null: the system's only. */
  caFile: string | null;
  /** Skip verifying the hub's certificate: encrypted, but anyone in the path can pose as the hub. */
  insecure: boolean;
}

export type AgentConfig =
  (CommonConfig & { once: true; hub: string | null; token: string | null }) | (CommonConfig & { once: false; hub: string; token: string });

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; errors: string[] };

/** Values as the command line parser hands them over: strings, or true for switches. */
export type FlagValues = Partial<Record<ConfigKey, string | boolean>>;
export type EnvValues = Readonly<Record<string, string | undefined>>;

export interface ConfigSources {
  flags: FlagValues;
  env: EnvValues;
  /** The parsed JSON of the config file, if one was named. */
  file?: { path: string; values: unknown };
}

type Origin = 'flag' | 'env' | 'file';

const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;
const TRUE_TEXT = new Set(['true', '1', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'off']);

// Flags and environment variables are text by nature, so they are read as
// numbers or booleans here; a JSON config file already has types and must use them.
const numberFromText = (raw: unknown) => (typeof raw === 'string' && NUMBER_TEXT.test(raw) ? Number(raw) : raw);
const booleanFromText = (raw: unknown) => {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim().toLowerCase();
  return TRUE_TEXT.has(text) ? true : FALSE_TEXT.has(text) ? false : raw;
};

/** The value to use, or undefined when the input is not valid. */
type Check = (input: unknown) => unknown;

// Checked by hand rather than with a schema library, which would cost a
// running agent several MiB of memory for a dozen settings read once.
const hubUrl: Check = (raw) => {
  if (typeof raw !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  // The namespace is appended to the origin, so a path would silently be lost.
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash) return undefined;
  return url.origin;
};

const text =
  (min: number, max: number, trim: boolean): Check =>
  (raw) => {
    if (typeof raw !== 'string') return undefined;
    const value = trim ? raw.trim() : raw;
    return value.length >= min && value.length <= max ? value : undefined;
  };

const number =
  (min: number, max: number, whole: boolean): Check =>
  (raw) =>
    typeof raw === 'number' && Number.isFinite(raw) && raw >= min && raw <= max && (!whole || Number.isInteger(raw)) ? raw : undefined;

const boolean: Check = (raw) => (typeof raw === 'boolean' ? raw : undefined);

const oneOf =
  (values: readonly string[]): Check =>
  (raw) =>
    typeof raw === 'string' && values.includes(raw) ? raw : undefined;

const hostId: Check = (raw) => (typeof raw === 'string' && isHostId(raw) ? raw : undefined);

interface KeySpec {
  check: Check;
  /** What a valid value looks like, for the error message. */
  expected: string;
  fromText: (raw: unknown) => unknown;
}

const asIs = (raw: unknown) => raw;

const SPECS: Record<FileConfigKey, KeySpec> = {
  hub: { check: hubUrl, expected: 'an http(s) URL without a path, like http://hub.example:3000', fromText: asIs },
  token: {
    check: text(1, LIMITS.tokenLength, false),
    expected: `a non-empty string of at most ${LIMITS.tokenLength} characters`,
    fromText: asIs,
  },
  interval: { check: number(0.1, 3600, false), expected: 'a number >= 0.1 and <= 3600 (seconds)', fromText: numberFromText },
  hostId: {
    check: hostId,
    expected: `1 to ${LIMITS.hostIdLength} letters, digits, ".", "_" or "-", starting with a letter or digit`,
    fromText: asIs,
  },
  top: {
    check: number(1, LIMITS.topProcesses, true),
    expected: `a whole number from 1 to ${LIMITS.topProcesses}`,
    fromText: numberFromText,
  },
  probes: {
    check: oneOf(PROBE_SETS),
    expected: '"auto", "linux" or "portable"',
    fromText: (raw) => (typeof raw === 'string' ? raw.trim().toLowerCase() : raw),
  },
  console: { check: boolean, expected: 'true or false', fromText: booleanFromText },
  once: { check: boolean, expected: 'true or false', fromText: booleanFromText },
  buffer: {
    check: number(1, MAX_BUFFER_SIZE, true),
    expected: `a whole number from 1 to ${MAX_BUFFER_SIZE}`,
    fromText: numberFromText,
  },
  spoolDir: {
    check: text(1, MAX_PATH_LENGTH, true),
    expected: `a directory path of at most ${MAX_PATH_LENGTH} characters`,
    fromText: asIs,
  },
  keyFile: {
    check: text(1, MAX_PATH_LENGTH, true),
    expected: `a file path of at most ${MAX_PATH_LENGTH} characters`,
    fromText: asIs,
  },
  ca: {
    check: text(1, MAX_PATH_LENGTH, true),
    expected: `a file path of at most ${MAX_PATH_LENGTH} characters`,
    fromText: asIs,
  },
  insecure: { check: boolean, expected: 'true or false', fromText: booleanFromText },
};

interface Found {
  raw: unknown;
  origin: Origin;
  label: string;
}

/** Names a key as the user wrote it, so an error points at the exact place to fix. */
export function sourceLabel(key: ConfigKey, origin: Origin, filePath?: string): string {
  if (origin === 'flag') return CONFIG_KEYS[key].flag;
  if (origin === 'env') return CONFIG_KEYS[key].env;
  return `"${key}" in ${filePath ?? 'the config file'}`;
}

function describe(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Merges flags, environment and config file (in that order of precedence)
 * over the defaults and validates the result. Pure: every error names the
 * source of the bad value, and all of them are reported at once.
 */
export function resolveAgentConfig({ flags, env, file }: ConfigSources): ConfigResult {
  const errors: string[] = [];
  const fileValues: Record<string, unknown> = {};

  if (file) {
    const values = file.values;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      errors.push(`${file.path}: must hold a JSON object`);
    } else {
      for (const [key, raw] of Object.entries(values)) {
        if ((FILE_CONFIG_KEYS as string[]).includes(key)) fileValues[key] = raw;
        else errors.push(`"${key}" in ${file.path}: unknown key (known: ${FILE_CONFIG_KEYS.join(', ')})`);
      }
    }
  }

  const find = (key: FileConfigKey): Found | undefined => {
    const flag = flags[key];
    if (flag !== undefined) return { raw: flag, origin: 'flag', label: sourceLabel(key, 'flag') };
    const fromEnv = env[CONFIG_KEYS[key].env];
    // An empty variable is how shells and compose files say "not set".
    if (fromEnv !== undefined && fromEnv !== '') return { raw: fromEnv, origin: 'env', label: sourceLabel(key, 'env') };
    if (key in fileValues) return { raw: fileValues[key], origin: 'file', label: sourceLabel(key, 'file', file?.path) };
    return undefined;
  };

  const read = <T>(key: FileConfigKey, fallback: T): T => {
    const found = find(key);
    if (!found) return fallback;
    const spec = SPECS[key];
    const input = found.origin === 'file' ? found.raw : spec.fromText(found.raw);
    const value = spec.check(input);
    if (value !== undefined) return value as T;
    errors.push(`${found.label}: must be ${spec.expected} (got ${describe(found.raw)})`);
    return fallback;
  };

  const hub = read<string | null>('hub', null);
  const token = read<string | null>('token', null);
  const intervalSeconds = read<number>('interval', DEFAULT_INTERVAL_SECONDS);
  const hostId = read<string | null>('hostId', null);
  const topProcesses = read<number>('top', DEFAULT_TOP_PROCESSES);
  const probes = read<ProbeSetChoice>('probes', 'auto');
  const consoleTables = read<boolean>('console', false);
  const once = read<boolean>('once', false);
  const intervalMs = Math.round(intervalSeconds * 1000);
  const bufferSize = read<number>('buffer', defaultBufferSize(intervalMs));
  const spoolDir = read<string | null>('spoolDir', null);
  const keyFile = read<string | null>('keyFile', null);
  const caFile = read<string | null>('ca', null);
  const insecure = read<boolean>('insecure', false);

  const common: CommonConfig = {
    intervalMs,
    hostId,
    topProcesses,
    probes,
    console: consoleTables,
    bufferSize,
    spoolDir,
    keyFile,
    caFile,
    insecure,
  };

  if (!once) {
    for (const key of ['hub', 'token'] as const) {
      if (find(key) === undefined) {
        const { flag, env: envName } = CONFIG_KEYS[key];
        errors.push(`${flag} / ${envName}: required unless --once`);
      }
    }
  }

  if (errors.length === 0 && once) return { ok: true, config: { ...common, once: true, hub, token } };
  // Without --once a missing hub or token has already been reported above.
  if (errors.length === 0 && hub !== null && token !== null) {
    return { ok: true, config: { ...common, once: false, hub, token } };
  }
  return { ok: false, errors };
}

export function formatConfigErrors(errors: readonly string[]): string {
  return `invalid configuration: ${errors.join('; ')}`;
}
