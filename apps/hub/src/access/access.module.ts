import { Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { AdminPasswordRepository } from './admin-password.repository';
import { AdminPasswordService } from './admin-password.service';
import { AuthController } from './auth.controller';
import { DASHBOARD_ACCESS, dashboardAccessFor } from './dashboard-access';
import { DashboardSecurity } from './dashboard-security';
import { SignInService } from './sign-in.service';

/**
 * Who may use the dashboard and the API, and from where: sign-in and
 * sessions, CSRF proof, Origin and Host checks, security headers.
 *
 * The checks run in front of Nest's router (DashboardSecurity.guard as
 * Express middleware, the Host check on the HTTP server itself), not as a
 * Nest guard: a guard sees only requests a controller serves, and these
 * must also cover what none does (paths that do not exist answer a
 * signed-out browser as every other page does, static files seed the CSRF
 * cookie, socket.io's polling and upgrades need the Host check).
 */
@Module({
  controllers: [AuthController],
  providers: [
    { provide: DASHBOARD_ACCESS, inject: [HUB_CONFIG], useFactory: (config: HubConfig) => dashboardAccessFor(config) },
    AdminPasswordRepository,
    AdminPasswordService,
    DashboardSecurity,
    SignInService,
  ],
  exports: [DASHBOARD_ACCESS, DashboardSecurity],
})
export class AccessModule {}
