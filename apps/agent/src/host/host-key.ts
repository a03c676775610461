import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type * as fsSync from 'node:fs';
import { LIMITS } from '@hostwatch/protocol/light';
import type { EnvValues } from '../config/agent-config';

/** Synchronous on purpose: read once at start, before anything else runs. */
export type HostKeyFs = Pick<typeof fsSync, 'mkdirSync' | 'readFileSync' | 'writeFileSync' | 'linkSync' | 'unlinkSync'>;

export const HOST_KEY_FILE_NAME = 'host-key';

/** 32 random bytes: 43 base64url characters, far beyond guessing. */
export function generateHostKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Where the host key lives unless --key-file names a file: beside the spool
 * when there is one (one directory holds all the agent's state), else in the
 * user's state directory (XDG_STATE_HOME, else ~/.local/state).
 */
export function defaultHostKeyFile(spoolDir: string | null, env: EnvValues, homedir: () => string): string {
  if (spoolDir !== null) return path.resolve(spoolDir, HOST_KEY_FILE_NAME);
  const stateHome = env['XDG_STATE_HOME'];
  const base = stateHome && path.isAbsolute(stateHome) ? stateHome : path.join(homedir(), '.local', 'state');
  return path.join(base, 'hostwatch', HOST_KEY_FILE_NAME);
}

const USABLE_KEY = new RegExp(`^[\\x21-\\x7e]{${LIMITS.hostKeyMinLength},${LIMITS.tokenLength}}$`);

/**
 * Reads this machine's host key, or makes one on first run: the hub binds the
 * host id to it, so it must survive restarts and stay private (directory 0700,
 * file 0600). Fails with a message naming the file and how to choose another.
 */
export function loadOrCreateHostKey(file: string, fs: HostKeyFs, generate: () => string = generateHostKey): string {
  const existing = readKey(file, fs);
  if (existing !== null) return existing;
  const key = generate();
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written whole under a name of its own, then linked into place: an agent starting at the same
    // moment finds no file or the whole key, never an empty one, and a link never replaces a key.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
    fs.writeFileSync(draft, `${key}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(draft, file);
    } finally {
      fs.unlinkSync(draft);
    }
    return key;
  } catch (error) {
    // Another agent on this machine made it first: both use that one.
    if (errnoOf(error) === 'EEXIST') {
      const raced = readKey(file, fs);
      if (raced !== null) return raced;
    }
    throw new Error(`cannot create the host key file ${file} (${messageOf(error)}); choose a writable path with --key-file / HOSTWATCH_KEY_FILE`);
  }
}

function readKey(file: string, fs: HostKeyFs): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw new Error(`cannot read the host key file ${file} (${messageOf(error)}); fix its permissions or choose another with --key-file / HOSTWATCH_KEY_FILE`);
  }
  const key = text.trim();
  if (!USABLE_KEY.test(key)) {
    throw new Error(
      `${file} does not hold a usable host key (${LIMITS.hostKeyMinLength} to ${LIMITS.tokenLength} printable characters without spaces); ` +
        'restore it, or delete it to make a new one (the hub then refuses this host id until it is forgotten there)',
    );
  }
  return key;
}

function errnoOf(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
