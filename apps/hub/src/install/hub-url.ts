import { parseHostName } from '../core/host-policy';

/** What of a request names the hub as the browser reached it. */
export interface RequestOrigin {
  /** `http` or `https`, as the connection is (the hub trusts no proxy header for it). */
  protocol: string;
  /** The Host header, which the Host check accepted before this request got here. */
  host: string | undefined;
}

/** Stands in where neither a public URL nor a usable Host header names the hub. */
export const HUB_URL_PLACEHOLDER = 'http://HUB:3000';

/**
 * The URL machines install from: the first --public-url where one is set
 * (the name the hub is served under, perhaps behind a proxy), else the URL
 * this browser used. A Host that is not a plain name or address, with an
 * optional port, is not put into a command line someone will run as root.
 */
export function hubUrlFor(publicUrls: readonly string[] | undefined, request: RequestOrigin): string {
  const configured = publicUrls?.[0];
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  const host = request.host === undefined ? null : parseHostName(request.host);
  if (host === null || (request.protocol !== 'http' && request.protocol !== 'https')) return HUB_URL_PLACEHOLDER;
  return `${request.protocol}://${host.hostname}${host.port === null ? '' : `:${host.port}`}`;
}
