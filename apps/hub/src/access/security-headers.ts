import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** A Host header fit to name in a header: a name or address and a port, nothing that could end a directive. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The live socket's own origin, spelled out: CSP Level 3 lets 'self' cover
 * ws: and wss: on the same host, but older browsers need the scheme named.
 */
function sameOriginWebSocket(secure: boolean) {
  return (req: IncomingMessage): string => {
    const host = req.headers.host;
    return host !== undefined && PLAIN_HOST.test(host) ? `${secure ? 'wss' : 'ws'}://${host}` : "'self'";
  };
}

function headers(secure: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        // No inline script anywhere: every script is a file under /static/ or socket.io's client.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // uPlot and the pages set styles only through element.style, which CSP does not restrict; no inline <style> or style="".
        styleSrc: ["'self'"],
        // data: is the empty favicon that keeps browsers from asking for /favicon.ico.
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", sameOriginWebSocket(secure)],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Over plain http, upgrading would send every asset to an https port that is not there.
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Same-origin requests keep their Referer and, above all, their Origin: with no-referrer a browser sends
    // "Origin: null" on a same-origin POST, and the CSRF check could not tell it from a foreign one.
    referrerPolicy: { policy: 'same-origin' },
    // Only meaningful over https; a browser ignores it on http anyway, and a hub without TLS must not claim it.
    // Not includeSubDomains: the hub may sit on a name whose other subdomains it does not speak for.
    strictTransportSecurity: secure ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
}

/** helmet's hardening headers, with a Content-Security-Policy that allows no inline script; HSTS only under TLS. */
export function securityHeaders(): RequestHandler {
  const overTls = headers(true);
  const plain = headers(false);
  return (req: Request, res: Response, next: NextFunction) => (req.secure ? overTls : plain)(req, res, next);
}
