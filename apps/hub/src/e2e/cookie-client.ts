/** One response as a test reads it: status, headers, body text and the cookies it set (each Set-Cookie line whole). */
export interface ClientResponse {
  status: number;
  headers: Headers;
  text: string;
  setCookies: string[];
}

export interface ClientRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A form, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Whether to send the Origin of the hub itself, as a browser does with every POST or DELETE (default: yes for those). */
  sameOrigin?: boolean;
}

/**
 * A cookie jar over fetch, acting like a browser on one hub: it keeps the
 * cookies the hub sets, never follows redirects (tests look at them), and
 * sends the hub's own Origin with a state-changing request.
 */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request(path: string, request: ClientRequest = {}): Promise<ClientResponse> {
    const method = request.method ?? (request.form ? 'POST' : 'GET');
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (request.sameOrigin ?? !['GET', 'HEAD'].includes(method)) headers['origin'] = new URL(this.baseUrl).origin;
    if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    Object.assign(headers, request.headers);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      body: request.form ? new URLSearchParams(request.form).toString() : undefined,
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, headers: response.headers, text: await response.text(), setCookies };
  }

  /** The CSRF token a page carries, for scripts in its head and for its forms. */
  static csrfTokenIn(html: string): string {
    const match = /<meta name="csrf-token" content="([^"]+)">/.exec(html) ?? /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error(`no CSRF token in the page:\n${html.slice(0, 2000)}`);
    return match[1];
  }

  /** Opens the sign-in page, then posts the password with the page's token, as a person would. */
  async signIn(password: string, next = '/'): Promise<ClientResponse> {
    const page = await this.request(`/login?next=${encodeURIComponent(next)}`);
    const token = CookieClient.csrfTokenIn(page.text);
    return this.request('/login', { form: { _csrf: token, next, password } });
  }

  /** A fresh CSRF token for this client's cookie and session, read from a page. */
  async csrfToken(path = '/'): Promise<string> {
    const page = await this.request(path);
    return CookieClient.csrfTokenIn(page.text);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
