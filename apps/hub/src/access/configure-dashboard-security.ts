import type { NestExpressApplication } from '@nestjs/platform-express';
import { DashboardSecurity } from './dashboard-security';
import { loginRateLimit } from './login-rate-limit';
import { securityHeaders } from './security-headers';

/**
 * Puts the headers, sessions, CSRF proof, sign-in check and login rate limit
 * in front of everything else, static assets included. Call before the view
 * engine and static assets are configured and before listening.
 */
export function configureDashboardSecurity(app: NestExpressApplication): void {
  const security = app.get(DashboardSecurity);
  app.use(securityHeaders());
  // Parsed here, before the CSRF check reads a form's token; Nest then sees them applied and adds no others.
  app.useBodyParser('json');
  app.useBodyParser('urlencoded', { extended: false, limit: '16kb' });
  app.use(security.session);
  app.use(security.guard());
  app.use(loginRateLimit());
}
