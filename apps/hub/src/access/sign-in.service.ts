import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { DashboardSecurity } from './dashboard-security';
import { AdminPasswordService } from './admin-password.service';

export type SignInResult = 'signed-in' | 'wrong-password';

/** Signs the admin in and out of a browser session. */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('DashboardAccess');

  constructor(
    private readonly passwords: AdminPasswordService,
    private readonly security: DashboardSecurity,
  ) {}

  async signIn(req: Request, password: unknown): Promise<SignInResult> {
    if (typeof password !== 'string' || !(await this.passwords.verify(password))) {
      this.logger.warn(`Wrong admin password from ${req.ip ?? 'an unknown address'}`);
      return 'wrong-password';
    }
    // A new session id at sign-in, so that an id planted or seen before it is worth nothing after.
    await new Promise<void>((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(toError(error)) : resolve())));
    req.session.admin = true;
    req.session.signedInAt = Date.now();
    await new Promise<void>((resolve, reject) => req.session.save((error: unknown) => (error ? reject(toError(error)) : resolve())));
    this.logger.log(`Admin signed in from ${req.ip ?? 'an unknown address'}`);
    return 'signed-in';
  }

  async signOut(req: Request): Promise<void> {
    const id = req.sessionID;
    if (req.session?.admin === true) this.security.endLiveSockets(id);
    if (!req.session) return;
    await new Promise<void>((resolve, reject) => req.session.destroy((error: unknown) => (error ? reject(toError(error)) : resolve())));
  }

  /** Whether this hub has a sign-in at all; on loopback it has none. */
  available(): boolean {
    return this.security.access.kind !== 'open';
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
