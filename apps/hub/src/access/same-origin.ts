import type { IncomingHttpHeaders } from 'node:http';
import { allowsOrigin, type HostPolicy } from '../core/host-policy';

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
 * must be a page of this hub (see allowsOrigin). A request that says neither
 * is refused too: every current browser sends Origin with a POST or DELETE,
 * and a script can add it.
 */
export function checkRequestOrigin(headers: IncomingHttpHeaders, hosts: HostPolicy): OriginVerdict {
  const host = single(headers.host);
  const origin = single(headers.origin);
  if (origin !== undefined) {
    return allowsOrigin(hosts, origin, host)
      ? { ok: true }
      : { ok: false, reason: `a request from ${origin.slice(0, 200)} may not change anything on this hub` };
  }
  const referer = single(headers.referer);
  if (referer !== undefined) {
    return allowsOrigin(hosts, referer, host) ? { ok: true } : { ok: false, reason: 'a request from another site may not change anything on this hub' };
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
export function checkSocketOrigin(headers: IncomingHttpHeaders, signInNeeded: boolean, hosts: HostPolicy): OriginVerdict {
  const origin = single(headers.origin);
  if (origin !== undefined) {
    return allowsOrigin(hosts, origin, single(headers.host))
      ? { ok: true }
      : { ok: false, reason: `live updates are not served to pages of ${origin.slice(0, 200)}` };
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
