import { z } from 'zod';
import { LIMITS } from './limits';
import { hostIdSchema, text } from './primitives.schema';

/** `auth` payload an agent sends in the socket.io handshake. */
export const agentAuthSchema = z
  .object({
    token: z.string().min(1).max(LIMITS.tokenLength),
    hostId: hostIdSchema,
    protocolVersion: z.number().int().positive(),
    /** How often the agent samples, in ms: the hub marks the host stale after 3 missed intervals. */
    intervalMs: z.number().int().min(100).max(3_600_000),
    agentVersion: text(LIMITS.shortText).optional(),
  })
  .strict();

export type AgentAuth = z.infer<typeof agentAuthSchema>;
