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
    /**
     * A secret the agent generated once and keeps: the hub binds the host id to
     * the first key it sees, so another agent holding the same token cannot
     * speak for this host. Optional so that older agents still connect.
     */
    hostKey: z
      .string()
      .min(LIMITS.hostKeyMinLength)
      .max(LIMITS.tokenLength)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  })
  .strict();

export type AgentAuth = z.infer<typeof agentAuthSchema>;
