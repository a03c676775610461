import type { IncomingHttpHeaders } from 'node:http';

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether a URL's host and port are the ones the request was sent to. The
 * scheme is left out on purpose: behind a TLS-terminating proxy the hub sees
 * http while the browser says https, and no other site can share this host and port.
 */
function sameHost(url: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  let parsed: URL;
  let expected: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    // The Host header is read with the same scheme, so that default ports compare equal.
    expected = new URL(`${parsed.protocol}//${hostHeader}`);
  } catch {
    return false;
  }
  return parsed.host.toLowerCase() === expected.host.toLowerCase();
}

/**
 * Whether a request says it comes from a browser. Every current browser sends
 * Origin with a POST, PUT, PATCH or DELETE (and Sec-Fetch-Site besides), and
 * a cross-site request cannot drop them; a request with none of them comes
 * from a script or a command-line client, which forges nothing on a user's behalf.
 */
export function fromBrowser(headers: IncomingHttpHeaders): boolean {
  return headers.origin !== undefined || headers.referer !== undefined || headers['sec-fetch-site'] !== undefined;
}

/**
 * For a state-changing HTTP request: the browser must say where it comes
 * from (Origin, or Referer where an old browser sends no Origin) and that
 * must be this hub. A request that says neither is refused too: every
 * current browser sends Origin with a POST or DELETE, and a script can add it.
 */
export function checkRequestOrigin(headers: IncomingHttpHeaders): OriginVerdict {
  const host = single(headers.host);
  const origin = single(headers.origin);
  if (origin !== undefined) {
    return sameHost(origin, host) ? { ok: true } : { ok: false, reason: `a request from ${origin.slice(0, 200)} may not change anything on this hub` };
  }
  const referer = single(headers.referer);
  if (referer !== undefined) {
    return sameHost(referer, host) ? { ok: true } : { ok: false, reason: 'a request from another site may not change anything on this hub' };
  }
  return { ok: false, reason: 'a request that changes something must carry an Origin header naming this hub' };
}

/**
 * For the browser's live socket. Browsers always send Origin on a WebSocket
 * and on a cross-site request, so a foreign Origin is cross-site socket
 * hijacking and refused. A same-site polling request may come without Origin
 * but with `Sec-Fetch-Site: same-origin`. A request with neither is not from
 * a current browser: it is let through only where no sign-in is needed, since
 * such a client could send any Origin it likes and only a session proves anything.
 */
export function checkSocketOrigin(headers: IncomingHttpHeaders, signInNeeded: boolean): OriginVerdict {
  const origin = single(headers.origin);
  if (origin !== undefined) {
    return sameHost(origin, single(headers.host)) ? { ok: true } : { ok: false, reason: `live updates are not served to pages of ${origin.slice(0, 200)}` };
  }
  const site = single(headers['sec-fetch-site']);
  if (site !== undefined) {
    return site === 'same-origin' ? { ok: true } : { ok: false, reason: `live updates are not served to a ${site.slice(0, 40)} request` };
  }
  return signInNeeded ? { ok: false, reason: 'a live socket must carry an Origin header naming this hub' } : { ok: true };
}

/**
 * The page to return to after signing in: only a path on this hub, never
 * `//other.site` or `/\other.site` (which browsers read as another host),
 * so the sign-in form cannot be turned into an open redirect.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const base = 'http://hub.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return '/';
    // The login page itself is no place to land after signing in.
    if (url.pathname === '/login') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
