import { isIP } from 'node:net';

/** A host name or address as a Host header or an --allowed-hosts entry gives it, with its port when one is named. */
export interface HostName {
  /** Lower case, IDN as punycode, IPv4 in dotted form, IPv6 in brackets: as the WHATWG URL parser writes it. */
  hostname: string;
  /** Digits, or null where none was named. */
  port: string | null;
}

/**
 * Which names the hub answers to, and so which pages may talk to it.
 *
 * A web page can make a browser send requests to any address under its own
 * name (DNS rebinding): a name the attacker controls resolves to the hub's
 * address, so the page is same-origin with its own name, and the browser sends
 * that name as Host. A hub that answers only to the names it is known by never
 * serves such a page. A loopback name cannot be rebound this way: a browser
 * sends `Host: localhost` only to its own machine, for a page of localhost.
 */
export interface HostPolicy {
  /** Whether the hub listens on loopback only: then, with no list, loopback names are all it answers to. */
  readonly loopbackBind: boolean;
  /** Origins of --public-url, e.g. https://hub.example.com. */
  readonly publicOrigins: readonly string[];
  /** --allowed-hosts entries, and the bind address where it is one address other than loopback. */
  readonly names: readonly HostName[];
}

export type HostVerdict = { ok: true } | { ok: false; reason: string };

/** A hub bound elsewhere with no list: any Host, Origins compared with Host (used where no setting applies). */
export const ANY_HOST: HostPolicy = { loopbackBind: false, publicOrigins: [], names: [] };

const HOST_TEXT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/**
 * Reads `name`, `name:port`, `[v6]` or `[v6]:port`; null for anything else
 * (user info, paths, spaces), so that the URL parser cannot be led to read
 * another host out of it.
 */
export function parseHostName(text: string): HostName | null {
  const match = HOST_TEXT.exec(text);
  if (!match) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${match[1]}`).hostname;
  } catch {
    return null;
  }
  const port = match[2] ?? null;
  if (port !== null && Number(port) > 65535) return null;
  return { hostname, port: port === null ? null : String(Number(port)) };
}

/** A bind address (`127.0.0.1`, `::1`, `[::1]`, `localhost`) in the same normal form; null where it is none. */
export function parseBindAddress(host: string): HostName | null {
  return parseHostName(isIP(host) === 6 ? `[${host}]` : host);
}

/** `localhost`, an address in 127.0.0.0/8, or ::1 (in parseHostName's form): names no DNS answer can point elsewhere. */
export function isLoopbackName(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/** Whether a list was given: then Host and Origin are checked against it rather than against each other. */
export function hasList(policy: HostPolicy): boolean {
  return policy.publicOrigins.length > 0 || policy.names.length > 0;
}

/** Whether every Host is answered (a bind other than loopback, and no list): the Host check then has nothing to refuse. */
export function answersAnyHost(policy: HostPolicy): boolean {
  return !policy.loopbackBind && !hasList(policy);
}

/** The names of the list that only a machine other than this one would use: the hub is then served to others. */
export function publicNames(policy: HostPolicy): string[] {
  const fromUrls = policy.publicOrigins
    .map((origin) => new URL(origin))
    .filter((url) => !isLoopbackName(url.hostname))
    .map((url) => url.host);
  const fromNames = policy.names.filter((name) => !isLoopbackName(name.hostname)).map(show);
  return [...fromUrls, ...fromNames];
}

/** The policy for a bind address and the lists of the settings. */
export function hostPolicyFor(config: { host: string; publicUrl?: readonly string[]; allowedHosts?: readonly string[] }, loopbackBind: boolean): HostPolicy {
  const names = (config.allowedHosts ?? []).map((entry) => parseHostName(entry)).filter((name): name is HostName => name !== null);
  const publicOrigins = (config.publicUrl ?? []).map((url) => new URL(url).origin);
  if (names.length + publicOrigins.length > 0 && !loopbackBind) {
    // The address the hub listens on is one of its names: an agent of this machine, or one given that address, uses it.
    // (On loopback, the loopback names already cover it.)
    const bind = parseBindAddress(config.host);
    if (bind !== null && !WILDCARDS.has(bind.hostname)) names.push(bind);
  }
  return { loopbackBind, publicOrigins, names };
}

const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '[::]']);

const DEFAULT_PORT: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/** The Host header of a request against the names the hub answers to. */
export function checkHost(policy: HostPolicy, hostHeader: string | undefined): HostVerdict {
  if (answersAnyHost(policy)) return { ok: true };
  const shown = hostHeader === undefined ? 'no Host header' : `Host ${hostHeader.slice(0, 200)}`;
  const host = hostHeader === undefined ? null : parseHostName(hostHeader);
  if (host !== null && isLoopbackName(host.hostname)) return { ok: true };
  if (!hasList(policy)) {
    return {
      ok: false,
      reason: `this hub listens on loopback and answers only to localhost, 127.0.0.1 and [::1], not to ${shown}: a page of another site can send such a request (DNS rebinding). To reach it under another name, list that name with --public-url or --allowed-hosts`,
    };
  }
  if (host !== null && (policy.publicOrigins.some((origin) => urlServes(origin, host)) || policy.names.some((name) => nameServes(name, host)))) {
    return { ok: true };
  }
  return { ok: false, reason: `this hub answers only to ${describeNames(policy)}, not to ${shown}; add the name with --allowed-hosts or --public-url` };
}

/**
 * Whether an Origin (or Referer) names a page that may talk to the hub. With
 * a list, only its origins, or a loopback page of the host the request went
 * to. Without one, the host the request went to, as before: on loopback the
 * Host check has already kept foreign names out.
 */
export function allowsOrigin(policy: HostPolicy, origin: string, hostHeader: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (!hasList(policy) || isLoopbackName(url.hostname)) return sameHost(url, hostHeader);
  if (policy.publicOrigins.includes(url.origin)) return true;
  const port = url.port || DEFAULT_PORT[url.protocol]!;
  return policy.names.some((name) => name.hostname === url.hostname && (name.port === null || name.port === port));
}

/**
 * Whether a URL's host and port are the ones the request was sent to. The
 * scheme is left out on purpose: behind a TLS-terminating proxy the hub sees
 * http while the browser says https, and no other site can share this host and port.
 */
function sameHost(url: URL, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  let expected: URL;
  try {
    // The Host header is read with the same scheme, so that default ports compare equal.
    expected = new URL(`${url.protocol}//${hostHeader}`);
  } catch {
    return false;
  }
  return url.host === expected.host && expected.username === '' && expected.pathname === '/';
}

function urlServes(origin: string, host: HostName): boolean {
  const url = new URL(origin);
  const defaultPort = DEFAULT_PORT[url.protocol]!;
  return url.hostname === host.hostname && (url.port || defaultPort) === (host.port ?? defaultPort);
}

function nameServes(name: HostName, host: HostName): boolean {
  if (name.hostname !== host.hostname) return false;
  if (name.port === null || name.port === host.port) return true;
  // A Host without a port was sent to the scheme's default port, which the hub cannot tell apart behind a proxy.
  return host.port === null && (name.port === '80' || name.port === '443');
}

function show(name: HostName): string {
  return name.port === null ? name.hostname : `${name.hostname}:${name.port}`;
}

function describeNames(policy: HostPolicy): string {
  return ['localhost, 127.0.0.1, [::1]', ...policy.publicOrigins.map((origin) => new URL(origin).host), ...policy.names.map(show)].join(', ');
}

/** One line for the start-up log: which names the hub answers to. */
export function describeHostPolicy(policy: HostPolicy): string {
  if (hasList(policy)) return `Answering only to ${describeNames(policy)} (Host), and to changes and live sockets only from their pages (Origin)`;
  if (policy.loopbackBind) return 'Answering only to localhost, 127.0.0.1 and [::1] (Host), so that no page of another site can reach this hub (DNS rebinding)';
  return 'Answering to any host name (no --public-url or --allowed-hosts): only sign-in keeps a page of another site whose name points here (DNS rebinding) from reading or changing this hub; list the names browsers and agents use to refuse all others';
}
