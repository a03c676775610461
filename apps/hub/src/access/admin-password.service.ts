import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../core/hub-config';
import { AdminPasswordRepository } from './admin-password.repository';
import { DASHBOARD_ACCESS, hasSignIn, type DashboardAccess } from './dashboard-access';
import { hashPassword, parsePasswordHash, verifyPassword } from './password-hash';

/** 18 random bytes, 24 characters: far beyond guessing, short enough to type once. */
const GENERATED_PASSWORD_BYTES = 18;
/** scrypt reads all of it; a megabyte of "password" would only be a way to waste CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Holds the admin password's hash: from HOSTWATCH_ADMIN_PASSWORD when set
 * (replacing a stored one that no longer matches), else the one stored in the
 * data directory, else a generated password whose hash is stored and which
 * is shown once in the log.
 */
@Injectable()
export class AdminPasswordService implements OnModuleInit {
  private readonly logger = new Logger('DashboardAccess');
  private hash: string | null = null;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(DASHBOARD_ACCESS) private readonly access: DashboardAccess,
    private readonly passwords: AdminPasswordRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.logger.log(`Dashboard and API: ${this.access.reason}`);
    if (!hasSignIn(this.access)) return;
    this.hash = await this.resolve();
  }

  /** Whether the password is the admin's; always false where no one can sign in. */
  async verify(password: string): Promise<boolean> {
    if (this.hash === null || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
    return verifyPassword(password, this.hash);
  }

  private async resolve(): Promise<string> {
    const dataDir = this.config.dataDir;
    const stored = await this.passwords.read(dataDir);
    if (stored && (stored.mode & 0o077) !== 0) {
      await this.passwords.restrict(stored.file);
      this.logger.warn(`${stored.file} could be read by other users (mode ${stored.mode.toString(8)}); it is now owner-only (600)`);
    }
    const configured = this.config.adminPassword ?? null;
    if (configured !== null) {
      if (stored && parsePasswordHash(stored.hash) && (await verifyPassword(configured, stored.hash))) return stored.hash;
      const hash = await hashPassword(configured);
      const file = await this.passwords.write(dataDir, hash);
      this.logger.log(`Admin password from HOSTWATCH_ADMIN_PASSWORD; its scrypt hash is stored in ${file}`);
      return hash;
    }
    if (stored) {
      if (!parsePasswordHash(stored.hash)) {
        throw new Error(`${stored.file} does not hold a password hash this hub can read; delete it to get a new password, or set HOSTWATCH_ADMIN_PASSWORD`);
      }
      return stored.hash;
    }
    const password = randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url');
    const hash = await hashPassword(password);
    const file = await this.passwords.write(dataDir, hash);
    // Shown once: only its hash is kept, so a lost password means setting a new one.
    this.logger.warn(`Generated the admin password: ${password}`);
    this.logger.warn(`It is shown only this once; ${file} keeps only its hash. To change it, set HOSTWATCH_ADMIN_PASSWORD and restart the hub.`);
    return hash;
  }
}
