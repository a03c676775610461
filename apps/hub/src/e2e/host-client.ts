import * as http from 'node:http';
import { CookieClient } from './cookie-client';

export interface HostResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface HostRequest {
  method?: string;
  /** Origin to send; by default the page's own on a state-changing request, none otherwise. */
  origin?: string | null;
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

/**
 * A browser on a page of `http://<host>`, talking to a hub on 127.0.0.1:port
 * whatever `host` names: as a browser does after DNS rebinding, or through a
 * reverse proxy. fetch cannot set Host, so this speaks node:http. Keeps the
 * cookies the hub sets and follows no redirects.
 */
export class HostClient {
  readonly cookies = new Map<string, string>();

  /** `origin`: the page's own, as its browser sends it (https://name behind a TLS proxy); http://<host> by default. */
  constructor(
    readonly port: number,
    readonly host: string,
    readonly origin = `http://${host}`,
  ) {}

  request(path: string, request: HostRequest = {}): Promise<HostResponse> {
    const method = request.method ?? (request.form ? 'POST' : 'GET');
    const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
    const headers: Record<string, string> = { host: this.host };
    if (this.cookies.size > 0) headers['cookie'] = this.cookieHeader();
    const origin = request.origin === undefined ? (['GET', 'HEAD'].includes(method) ? null : this.origin) : request.origin;
    if (origin !== null) headers['origin'] = origin;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    Object.assign(headers, request.headers);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path, method, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            const eq = pair.indexOf('=');
            const value = pair.slice(eq + 1).trim();
            if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(pair.slice(0, eq).trim());
            else this.cookies.set(pair.slice(0, eq).trim(), value);
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Opens the sign-in page, then posts the password with the page's token. */
  async signIn(password: string): Promise<HostResponse> {
    const page = await this.request('/login');
    return this.request('/login', { form: { _csrf: CookieClient.csrfTokenIn(page.text), next: '/', password } });
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** What a WebSocket upgrade with this Host gets: the status line's code, 101 when the hub took it. */
export function upgradeStatus(port: number, host: string, path: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      host,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    if (origin !== undefined) headers['origin'] = origin;
    const req = http.request({ host: '127.0.0.1', port, path, headers, agent: false });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}
