import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AgentRegistryRepository, type IssuedToken } from './agent-registry.repository';
import { CLOCK, type Clock } from '../core/clock';

/** 32 random bytes, like the shared token: far beyond guessing. */
const TOKEN_BYTES = 32;
const ID_BYTES = 4;
const MAX_NOTE = 200;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Tokens issued one by one, each revocable on its own and optionally tied to
 * one host id. Only a SHA-256 of each token is stored: a copy of the data
 * directory does not let anyone connect. Used by the hub and by the `token`
 * command alike.
 */
@Injectable()
export class IssuedTokenService {
  constructor(
    private readonly registry: AgentRegistryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Issues a token; the returned token is shown once and cannot be read back. */
  issue(options: { hostId: string | null; note: string | null }): { token: string; issued: IssuedToken } {
    const note = options.note === null ? null : options.note.slice(0, MAX_NOTE);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const createdAt = this.clock.now();
    // An id clash among a few hex digits is possible, if rare; the store's key refuses it, so draw again.
    for (let attempt = 0; ; attempt += 1) {
      const id = randomBytes(ID_BYTES).toString('hex');
      try {
        this.registry.addToken({ id, tokenHash: hashSecret(token), hostId: options.hostId, note, createdAt });
        return { token, issued: { id, hostId: options.hostId, note, createdAt, lastUsedAt: null } };
      } catch (error) {
        if (attempt >= 5 || !isConstraintError(error)) throw error;
      }
    }
  }

  list(): IssuedToken[] {
    return this.registry.listTokens();
  }

  /** False when no token has that id. */
  revoke(id: string): boolean {
    return this.registry.removeToken(id);
  }

  /** The issued token that matches, or null. Looked up by hash, so the token itself is never compared. */
  find(token: string): IssuedToken | null {
    return this.registry.findTokenByHash(hashSecret(token));
  }

  isActive(id: string): boolean {
    return this.registry.hasToken(id);
  }

  markUsed(id: string): void {
    this.registry.touchToken(id, this.clock.now());
  }
}

function isConstraintError(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
