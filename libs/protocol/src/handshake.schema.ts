import { z } from 'zod';
import { LIMITS } from './limits';
import { hostIdSchema, text } from './primitives.schema';

/** `auth` payload an agent sends in the socket.io handshake. */
export const agentAuthSchema = z
  .object({
    token: z.string().min(1).max(LIMITS.tokenLength),
    hostId: hostIdSchema,
    protocolVersion: z.number().int().positive(),
    agentVersion: text(LIMITS.shortText).optional(),
  })
  .strict();

export type AgentAuth = z.infer<typeof agentAuthSchema>;
