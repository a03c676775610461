import { z } from 'zod';
import { ERROR_CODES, MAX_ERROR_MESSAGE_LENGTH, type ErrorCode } from './error-codes';

export const errorCodeSchema = z.enum(ERROR_CODES);

export const protocolErrorSchema = z.object({ code: errorCodeSchema, message: z.string().max(MAX_ERROR_MESSAGE_LENGTH) }).strict();
export type ProtocolError = z.infer<typeof protocolErrorSchema>;

export const ackSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }).strict(),
  z.object({ ok: z.literal(false), error: protocolErrorSchema }).strict(),
]);
export type Ack = z.infer<typeof ackSchema>;

export const ackOk = (): Ack => ({ ok: true });
export const ackError = (code: ErrorCode, message: string): Ack => ({ ok: false, error: { code, message } });
