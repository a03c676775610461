import { isIP } from 'node:net';
import { hostPolicyFor, publicNames, type HostPolicy } from './host-policy';

/**
 * Who may use the dashboard, the JSON API and the live namespace:
 * - `open`: the hub listens on loopback only, so only users of this machine reach it;
 * - `login`: every page, API call and live socket needs a signed-in admin;
 * - `public-read`: anyone may read, but a change (a DELETE, say) needs a signed-in admin.
 */
export type DashboardAccessKind = 'open' | 'login' | 'public-read';

export interface DashboardAccess {
  kind: DashboardAccessKind;
  /** Why this kind applies, for the start-up log. */
  reason: string;
  /** The names the hub answers to, and the pages that may change things or open live sockets. */
  hosts: HostPolicy;
}

/** The injection token of the hub's DashboardAccess. */
export const DASHBOARD_ACCESS = Symbol('DashboardAccess');

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request with this method changes state, and so needs CSRF proof. */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Whether a request with this method needs a signed-in admin under this access. */
export function needsSignIn(access: DashboardAccess, method: string): boolean {
  if (access.kind === 'open') return false;
  if (access.kind === 'login') return true;
  return isStateChanging(method);
}

/** Whether the hub holds an admin password at all: only where someone may need to sign in. */
export function hasSignIn(access: DashboardAccess): boolean {
  return access.kind !== 'open';
}

/**
 * True only for addresses that no other machine can reach. A host name
 * other than `localhost` could resolve to anything, so it counts as exposed.
 */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

/**
 * Decides the access from the bind address, the names the hub is served
 * under, and the public-dashboard setting. A hub on loopback that is given a
 * name other machines use (--public-url or --allowed-hosts, for a reverse
 * proxy on the same machine) is reachable from them, so it is treated like
 * one bound elsewhere.
 */
export function dashboardAccessFor(config: {
  host: string;
  publicDashboard?: boolean;
  publicUrl?: readonly string[];
  allowedHosts?: readonly string[];
}): DashboardAccess {
  const loopbackBind = isLoopbackAddress(config.host);
  const hosts = hostPolicyFor(config, loopbackBind);
  const served = publicNames(hosts);
  if (loopbackBind && served.length === 0) {
    return { kind: 'open', hosts, reason: `the hub listens on loopback only (${config.host}), so only users of this machine can reach it; no sign-in needed` };
  }
  const where = loopbackBind ? `on loopback (${config.host}) but is served as ${served.join(', ')}` : `on ${config.host}`;
  if (config.publicDashboard === true) {
    return {
      kind: 'public-read',
      hosts,
      reason: `the hub listens ${where} and --public-dashboard is set: pages and the read API are open to anyone who can reach it; changes need the admin password`,
    };
  }
  return {
    kind: 'login',
    hosts,
    reason: `the hub listens ${where}, reachable from other machines: pages, the API and live updates need the admin password (--public-dashboard opens them read-only)`,
  };
}
