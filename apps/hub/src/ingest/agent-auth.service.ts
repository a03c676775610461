import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SUPPORTED_PROTOCOL_VERSIONS, agentAuthSchema, parseWith, type HandshakeErrorData } from '@hostwatch/protocol';
import type { AgentAdmission, AgentIdentity } from './agent.types';
import { AgentRegistryRepository } from './agent-registry.repository';
import { CLOCK, type Clock } from '../core/clock';
import { AgentTokenService } from './agent-token.service';
import { HostBindingService } from './host-binding.service';
import { IssuedTokenService, hashSecret } from './issued-token.service';

export type HandshakeResult = { ok: true; agent: AgentIdentity; admission: AgentAdmission } | { ok: false; code: HandshakeErrorData['code']; message: string };

/** Why an open connection may no longer speak: its token was revoked, or its host was claimed by another key. */
export type RecheckResult = { ok: true } | { ok: false; code: 'UNAUTHORIZED' | 'HOST_CLAIMED' | 'HOST_LIMIT'; message: string };

/**
 * How long the registry's external version is trusted before it is read
 * again: reading it for each of a thousand messages a second would cost
 * more than handling them. A token revoked from the command line counts within
 * this; the hub's own changes count at once.
 */
export const REGISTRY_RECHECK_MS = 100;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Decides whether an agent's handshake may open a socket, before any of its events is read. */
@Injectable()
export class AgentAuthService {
  private readonly logger = new Logger(AgentAuthService.name);
  /** The registry's generation at which each open connection's admission last passed its recheck. */
  private readonly passedAt = new WeakMap<AgentAdmission, string>();
  private external: { version: number; readAt: number } | null = null;

  constructor(
    private readonly tokens: AgentTokenService,
    private readonly issued: IssuedTokenService,
    private readonly bindings: HostBindingService,
    private readonly registry: AgentRegistryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  verifyHandshake(auth: unknown, remoteAddress: string): HandshakeResult {
    const result = this.check(auth);
    if (!result.ok) {
      this.logger.warn(`Refused agent handshake from ${remoteAddress}: ${result.code}: ${result.message}`);
    }
    return result;
  }

  /**
   * Checks again, before each message, what may have changed since the
   * handshake: a revoked token, or a host forgotten and then bound to another
   * key. A host forgotten while its agent stayed connected is bound again to
   * that agent's key. While neither tokens nor bindings changed since an
   * admission last passed, it passes again without reading them; a change
   * made by another process is seen within REGISTRY_RECHECK_MS.
   */
  recheck(agent: AgentIdentity, admission: AgentAdmission): RecheckResult {
    // Read first: a change committed while the checks run moves it again, so the next message checks anew.
    const generation = this.currentGeneration();
    if (this.passedAt.get(admission) === generation) return { ok: true };
    if (admission.tokenId !== null && !this.issued.isActive(admission.tokenId)) {
      return { ok: false, code: 'UNAUTHORIZED', message: `Token ${admission.tokenId} was revoked` };
    }
    const result = this.bindings.admit(agent.hostId, admission.keyHash, false);
    if (result.ok) this.passedAt.set(admission, generation);
    return result;
  }

  /** Differs from an earlier answer when tokens or bindings may have changed since. */
  private currentGeneration(): string {
    const now = this.clock.now();
    if (this.external === null || now - this.external.readAt >= REGISTRY_RECHECK_MS || now < this.external.readAt) {
      this.external = { version: this.registry.externalVersion(), readAt: now };
    }
    return `${this.external.version}:${this.registry.writes()}`;
  }

  private check(auth: unknown): HandshakeResult {
    // Before the schema: a client without a token learns that it needs one, not which other fields it got wrong.
    if (!bringsToken(auth)) {
      return { ok: false, code: 'UNAUTHORIZED', message: 'The handshake brought no token; send the agent token as auth.token' };
    }
    const parsed = parseWith(agentAuthSchema, auth);
    if (!parsed.ok) return { ok: false, code: 'INVALID_HANDSHAKE', message: `Invalid handshake auth: ${parsed.message}` };

    const { protocolVersion, token, hostId, intervalMs, hostKey, agentVersion } = parsed.data;
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)) {
      return {
        ok: false,
        code: 'UNSUPPORTED_PROTOCOL',
        message: `Protocol version ${protocolVersion} is not supported; this hub speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
      };
    }
    let tokenId: string | null = null;
    // Comparing digests of equal length keeps both the token and its length out of the timing.
    if (!timingSafeEqual(digest(token), digest(this.tokens.getToken()))) {
      const issued = this.issued.find(token);
      if (!issued) return { ok: false, code: 'UNAUTHORIZED', message: 'The hub refused the token' };
      if (issued.hostId !== null && issued.hostId !== hostId) {
        return { ok: false, code: 'UNAUTHORIZED', message: `The token is not valid for host '${hostId}'` };
      }
      tokenId = issued.id;
    }
    const keyHash = hostKey === undefined ? null : hashSecret(hostKey);
    const bound = this.bindings.admit(hostId, keyHash);
    if (!bound.ok) return bound;
    if (tokenId !== null) this.issued.markUsed(tokenId);
    return { ok: true, agent: { hostId, intervalMs, ...(agentVersion === undefined ? {} : { agentVersion }) }, admission: { tokenId, keyHash } };
  }
}

/** Whether `auth` holds a token at all (a wrong or malformed one still counts: the checks after this judge it). */
function bringsToken(auth: unknown): boolean {
  if (typeof auth !== 'object' || auth === null) return false;
  const token = (auth as { token?: unknown }).token;
  return token !== undefined && token !== null && token !== '';
}
