import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** The Server-Timing metric a rendered page carries: from the request's arrival to its HTML, on the hub. */
export const PAGE_TIMING_METRIC = 'page';

/**
 * Adds `Server-Timing: page;dur=MS` to every rendered page: the time the hub
 * took from the request's arrival to the finished HTML (security checks,
 * view model and template), apart from the time the bytes take to reach the
 * browser. The browser's developer tools show it beside the transfer; the
 * dashboard benchmark reads it.
 */
export function configureServerTiming(app: NestExpressApplication): void {
  app.use((_req: Request, res: Response, next: NextFunction) => {
    const arrived = performance.now();
    const render = res.render.bind(res);
    res.render = ((view: string, optionsOrCallback?: object, maybeCallback?: (error: Error, html: string) => void) => {
      const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
      const callback = typeof optionsOrCallback === 'function' ? (optionsOrCallback as typeof maybeCallback) : maybeCallback;
      render(view, options, (error: Error | null, html: string) => {
        if (!error) res.setHeader('Server-Timing', `${PAGE_TIMING_METRIC};dur=${(performance.now() - arrived).toFixed(1)}`);
        if (callback) return callback(error as Error, html);
        if (error) return res.req.next?.(error);
        res.send(html);
      });
    }) as Response['render'];
    next();
  });
}
