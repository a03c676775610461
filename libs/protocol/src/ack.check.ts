import type { Ack } from './ack.schema';
import { ERROR_CODES, MAX_ERROR_MESSAGE_LENGTH, type ErrorCode } from './error-codes';
import type { ParseResult } from './parse';

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * Accepts exactly what ackSchema accepts, written out by hand so that an
 * agent can check every ack without loading the schema library (most of its
 * memory otherwise). The spec holds the two to the same verdicts.
 */
export function checkAck(input: unknown): ParseResult<Ack> {
  if (!isPlainObject(input)) return problem('(root)', 'expected an object');
  if (input.ok === true) {
    const extra = otherKeys(input, ['ok']);
    return extra === null ? { ok: true, data: { ok: true } } : problem('(root)', `unrecognized key "${extra}"`);
  }
  if (input.ok !== false) return problem('ok', 'expected true or false');
  const extra = otherKeys(input, ['ok', 'error']);
  if (extra !== null) return problem('(root)', `unrecognized key "${extra}"`);
  const error = input.error;
  if (!isPlainObject(error)) return problem('error', 'expected an object');
  const extraInError = otherKeys(error, ['code', 'message']);
  if (extraInError !== null) return problem('error', `unrecognized key "${extraInError}"`);
  const { code, message } = error;
  if (!isErrorCode(code)) return problem('error.code', 'not a known error code');
  if (typeof message !== 'string') return problem('error.message', 'expected a string');
  if (message.length > MAX_ERROR_MESSAGE_LENGTH) return problem('error.message', `longer than ${MAX_ERROR_MESSAGE_LENGTH} characters`);
  return { ok: true, data: { ok: false, error: { code, message } } };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first own key outside `known`, or null. */
function otherKeys(value: Record<string, unknown>, known: readonly string[]): string | null {
  for (const key of Object.keys(value)) if (!known.includes(key)) return key;
  return null;
}

function problem(path: string, message: string): ParseResult<Ack> {
  return { ok: false, message: `${path}: ${message}` };
}
