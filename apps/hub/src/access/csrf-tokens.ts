import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that anchors the token; HttpOnly, so a script on the page never reads it. */
export const CSRF_COOKIE = 'hostwatch.csrf';
/** The form field of a token in a form post. */
export const CSRF_FIELD = '_csrf';
/** The header of a token in a fetch. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Signed double-submit tokens: a random value in an HttpOnly, SameSite=Strict
 * cookie, and in the page its HMAC under a key that never leaves the hub,
 * bound to the admin's session once signed in. Another site can neither read
 * the token nor mint one for a cookie it planted, and no server-side state is
 * kept for visitors who never sign in.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** A new cookie value for a browser that has none. */
  newSeed(): string {
    return randomBytes(18).toString('base64url');
  }

  /** Whether a cookie value is one this hub could have issued. */
  isSeed(value: string | undefined): value is string {
    return value !== undefined && /^[A-Za-z0-9_-]{24}$/.test(value);
  }

  /** The token for a page served with this cookie, to this session (empty before sign-in). */
  tokenFor(seed: string, sessionId: string): string {
    return createHmac('sha256', this.key).update(`${seed}\n${sessionId}`).digest('base64url');
  }

  /** Whether the token came with this cookie and session; compared in constant time. */
  verify(seed: string | undefined, sessionId: string, token: string | undefined): boolean {
    if (!this.isSeed(seed) || typeof token !== 'string' || token.length === 0 || token.length > 100) return false;
    const expected = Buffer.from(this.tokenFor(seed, sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** Reads one cookie from a Cookie header; the hub has too few cookies to need a parser library. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
