import { hostPolicyFor, isLoopbackName, parseBindAddress, publicNames, type HostPolicy } from '../core/host-policy';

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

/** An IPv4-mapped loopback address as the URL parser writes it: [::ffff:127.0.0.1] is [::ffff:7f00:1]. */
const MAPPED_LOOPBACK = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/;

/**
 * True only for addresses that no other machine can reach. A host name
 * other than `localhost` could resolve to anything, so it counts as exposed.
 * Wider than the loopback names the Host check takes (isLoopbackName): a
 * bind address is judged by who can reach it, a Host by what a browser sends.
 */
export function isLoopbackAddress(host: string): boolean {
  const name = parseBindAddress(host);
  if (name === null || name.port !== null) return false;
  return isLoopbackName(name.hostname) || name.hostname.endsWith('.localhost') || MAPPED_LOOPBACK.test(name.hostname);
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
