import { hostIdSchema } from '@hostwatch/protocol';
import { z } from 'zod';

/** Longest note kept with an issued token (the token store cuts longer ones). */
export const MAX_TOKEN_NOTE = 200;

/** The Add a host form as posted; its CSRF field was checked before and is dropped here. */
export const addHostFormSchema = z.object({
  hostId: z.string().trim().pipe(hostIdSchema),
  note: z
    .string()
    .trim()
    .max(MAX_TOKEN_NOTE, `must be at most ${MAX_TOKEN_NOTE} characters`)
    .optional()
    .transform((note) => (note ? note : null)),
});

export type AddHostForm = z.infer<typeof addHostFormSchema>;
