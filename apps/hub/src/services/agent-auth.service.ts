import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { SUPPORTED_PROTOCOL_VERSIONS, agentAuthSchema, parseWith, type HandshakeErrorData } from '@hostwatch/protocol';
import type { AgentIdentity } from '../domain/agent.types';
import { AgentTokenService } from './agent-token.service';

export type HandshakeResult =
  | { ok: true; agent: AgentIdentity }
  | { ok: false; code: HandshakeErrorData['code']; message: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Decides whether an agent's handshake may open a socket, before any of its events is read. */
@Injectable()
export class AgentAuthService {
  private readonly logger = new Logger(AgentAuthService.name);

  constructor(private readonly tokens: AgentTokenService) {}

  verifyHandshake(auth: unknown, remoteAddress: string): HandshakeResult {
    const result = this.check(auth);
    if (!result.ok) {
      this.logger.warn(`Refused agent handshake from ${remoteAddress}: ${result.code}: ${result.message}`);
    }
    return result;
  }

  private check(auth: unknown): HandshakeResult {
    const parsed = parseWith(agentAuthSchema, auth);
    if (!parsed.ok) return { ok: false, code: 'INVALID_HANDSHAKE', message: `Invalid handshake auth: ${parsed.message}` };

    const { protocolVersion, token, hostId, intervalMs } = parsed.data;
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(protocolVersion)) {
      return {
        ok: false,
        code: 'UNSUPPORTED_PROTOCOL',
        message: `Protocol version ${protocolVersion} is not supported; this hub speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
      };
    }
    // Comparing digests of equal length keeps both the token and its length out of the timing.
    if (!timingSafeEqual(digest(token), digest(this.tokens.getToken()))) {
      return { ok: false, code: 'UNAUTHORIZED', message: 'The hub refused the token' };
    }
    return { ok: true, agent: { hostId, intervalMs } };
  }
}
