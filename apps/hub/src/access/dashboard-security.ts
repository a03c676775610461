import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, CsrfTokens, readCookie } from './csrf-tokens';
import { DASHBOARD_ACCESS, hasSignIn, isStateChanging, needsSignIn, type DashboardAccess } from './dashboard-access';
import { checkRequestOrigin, checkSocketOrigin, fromBrowser } from './same-origin';

declare module 'express-session' {
  interface SessionData {
    /** Set only by a successful sign-in with the admin password. */
    admin: true;
    signedInAt: number;
  }
}

export const SESSION_COOKIE = 'hostwatch.sid';
/** Signed in for this long since the last request: a working day of leaving a tab open. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

/**
 * Paths that answer without sign-in: the sign-in itself, assets it needs, health probes, the agent release for
 * install scripts (it holds no secret), and sockets (checked on their own).
 */
const OPEN_PATH = /^\/(?:login|logout|healthz)\/?$|^\/static\/|^\/install\/|^\/socket\.io\//;
/** Paths outside the CSRF check: socket.io's transport, which agents also use and whose browser side is checked at the handshake. */
const SOCKET_PATH = /^\/socket\.io\//;

/** The part of a socket.io socket the live check uses. */
export interface LiveSocket {
  readonly request: IncomingMessage;
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

export class LiveRefusal extends Error {
  readonly data: { code: 'forbidden-origin' | 'unauthorized' };

  constructor(code: 'forbidden-origin' | 'unauthorized', message: string) {
    super(message);
    this.data = { code };
  }
}

/**
 * Sign-in sessions, CSRF proof and the checks that use them, for pages, the
 * API and the live namespace alike.
 *
 * Sessions are express-session's, kept in its memory store: a hub is one
 * process and has one admin, a session is created only by a sign-in with the
 * password (never for a mere visitor), and keeping sessions on the server
 * means signing out really ends one, which a signed cookie alone cannot do.
 * A restart signs everyone out, which is acceptable for an admin console.
 */
@Injectable()
export class DashboardSecurity {
  private readonly logger = new Logger('DashboardAccess');
  readonly csrf = new CsrfTokens();
  readonly session: RequestHandler;
  private readonly liveSockets = new Map<string, Set<LiveSocket>>();

  constructor(@Inject(DASHBOARD_ACCESS) readonly access: DashboardAccess) {
    this.session = session({
      name: SESSION_COOKIE,
      // Sessions live in memory, so a key that lives as long as they do is enough.
      secret: randomBytes(32).toString('base64url'),
      store: new session.MemoryStore(),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      cookie: { httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/', maxAge: SESSION_IDLE_MS },
    });
  }

  /**
   * CSRF proof for every state-changing request, then sign-in where the
   * access needs it. Sets what pages show: the CSRF token, whether someone is
   * signed in, whether this viewer may change anything.
   */
  guard(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if (SOCKET_PATH.test(req.path)) return next();
      const signedIn = req.session?.admin === true;
      const binding = signedIn ? req.sessionID : '';
      const sentSeed = readCookie(req.headers.cookie, CSRF_COOKIE);
      let seed = sentSeed;
      if (!this.csrf.isSeed(seed)) {
        seed = this.csrf.newSeed();
        res.cookie(CSRF_COOKIE, seed, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
      }

      // On loopback, with nobody to sign in, a script or curl on this machine may change things without a
      // token, as it could without a browser anyway; anything a browser sends needs the full proof.
      const scriptOnOpenHub = this.access.kind === 'open' && !fromBrowser(req.headers);
      if (isStateChanging(req.method) && !scriptOnOpenHub) {
        const origin = checkRequestOrigin(req.headers, this.access.hosts);
        if (!origin.ok) return this.refuse(req, res, 403, 'Forbidden', `Refused: ${origin.reason}.`);
        if (!this.csrf.verify(sentSeed, binding, this.tokenOf(req))) {
          return this.refuse(
            req,
            res,
            403,
            'Forbidden',
            `Refused: no valid CSRF token (send the page's token in the ${CSRF_HEADER} header or the ${CSRF_FIELD} field; reload the page for a fresh one).`,
          );
        }
      }

      if (needsSignIn(this.access, req.method) && !signedIn && !OPEN_PATH.test(req.path)) {
        if (!isApi(req) && (req.method === 'GET' || req.method === 'HEAD')) {
          return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        }
        return this.refuse(req, res, 401, 'Unauthorized', 'Sign in first: POST /login with the admin password, then send the session cookie.');
      }

      res.locals['csrfToken'] = this.csrf.tokenFor(seed, binding);
      res.locals['signedIn'] = signedIn;
      res.locals['signInAvailable'] = hasSignIn(this.access);
      res.locals['canChange'] = signedIn || !needsSignIn(this.access, 'DELETE');
      next();
    };
  }

  /** socket.io middleware of the live namespace: same-site pages only, and the admin's session where pages need it. */
  liveMiddleware(): (socket: LiveSocket, next: (error?: Error) => void) => void {
    const signInNeeded = needsSignIn(this.access, 'GET');
    return (socket, next) => {
      const origin = checkSocketOrigin(socket.request.headers, signInNeeded, this.access.hosts);
      if (!origin.ok) {
        this.logger.warn(`Refused a live socket from ${socket.request.socket.remoteAddress ?? 'an unknown address'}: ${origin.reason}`);
        return next(new LiveRefusal('forbidden-origin', `Refused: ${origin.reason}`));
      }
      if (!signInNeeded) return next();
      const request = socket.request as unknown as Request;
      // express-session only reads here; the response it would set a cookie on does not exist for a socket.
      const response = {} as unknown as Response;
      this.session(request, response, (error?: unknown) => {
        if (error) return next(new LiveRefusal('unauthorized', 'Refused: the session could not be read'));
        if (request.session?.admin !== true) return next(new LiveRefusal('unauthorized', 'Refused: sign in first'));
        this.track(request.sessionID, socket);
        next();
      });
    };
  }

  /** Closes the live sockets of a session that signed out, so that they stop receiving updates at once. */
  endLiveSockets(sessionId: string): void {
    const sockets = this.liveSockets.get(sessionId);
    this.liveSockets.delete(sessionId);
    for (const socket of sockets ?? []) socket.disconnect(true);
  }

  private track(sessionId: string, socket: LiveSocket): void {
    let sockets = this.liveSockets.get(sessionId);
    if (!sockets) this.liveSockets.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    socket.once('disconnect', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.liveSockets.get(sessionId) === sockets) this.liveSockets.delete(sessionId);
    });
  }

  private tokenOf(req: Request): string | undefined {
    const header = req.headers[CSRF_HEADER];
    if (typeof header === 'string') return header;
    const body: unknown = req.body;
    if (typeof body === 'object' && body !== null && CSRF_FIELD in body) {
      const field = (body as Record<string, unknown>)[CSRF_FIELD];
      return typeof field === 'string' ? field : undefined;
    }
    return undefined;
  }

  private refuse(req: Request, res: Response, status: 401 | 403, error: string, message: string): void {
    if (status === 403) this.logger.warn(`${req.method} ${req.path.slice(0, 200)} from ${req.ip ?? 'unknown'}: ${message}`);
    if (isApi(req) || !req.accepts('html')) {
      res.status(status).json({ statusCode: status, error, message });
      return;
    }
    res.status(status).render('not-found', { title: error, message });
  }
}

function isApi(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/api';
}
