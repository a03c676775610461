import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';

export interface LoginRateLimitOptions {
  /** Failed sign-ins allowed per client address in each window. */
  limit: number;
  windowMs: number;
}

/** Five wrong guesses a minute: nothing to a person who mistyped, hopeless for a guesser. */
export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitOptions = { limit: 5, windowMs: 60_000 };

/**
 * Limits failed sign-ins per client address (IPv6 by /56, as express-rate-limit
 * does by default); a successful one does not count. Past the limit the answer
 * is 429 with Retry-After. Behind a reverse proxy every client shares the
 * proxy's address unless Express is told to trust it.
 */
export function loginRateLimit(options: LoginRateLimitOptions = DEFAULT_LOGIN_RATE_LIMIT): RequestHandler {
  const limiter = rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      const message = `Too many failed sign-ins from this address; try again in ${seconds} s.`;
      if (req.accepts('html')) {
        res.status(429).render('login', { title: 'Sign in', signInPage: true, next: '/', error: message });
      } else {
        res.status(429).json({ statusCode: 429, error: 'Too Many Requests', message });
      }
    },
  });
  return (req: Request, res: Response, next: NextFunction) => (req.method === 'POST' && req.path === '/login' ? limiter(req, res, next) : next());
}
