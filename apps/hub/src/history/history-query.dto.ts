import { z } from 'zod';
import type { MetricInfo } from '../store/history.repository';

export const DEFAULT_HISTORY_POINTS = 500;
export const MAX_HISTORY_POINTS = 10_000;
/** Without `from`, a query covers the hour before `to`. */
export const DEFAULT_HISTORY_SPAN_MS = 3_600_000;

const epochMs = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a time in ms since the Unix epoch (whole, not negative)')
  .transform(Number)
  .pipe(z.number().max(8.64e15, 'must be a time in ms since the Unix epoch'));

/**
 * The query string of GET /api/hosts/:hostId/history. Every value arrives as
 * text (or as a list, when a parameter is repeated, which is refused). Other
 * parameters, such as a cache buster, are ignored.
 */
export const historyQuerySchema = z.object({
  metric: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters').optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  points: z
    .string()
    .regex(/^\d{1,5}$/, `must be a whole number from 1 to ${MAX_HISTORY_POINTS}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, `must be a whole number from 1 to ${MAX_HISTORY_POINTS}`)
        .max(MAX_HISTORY_POINTS, `must be a whole number from 1 to ${MAX_HISTORY_POINTS}`),
    )
    .optional(),
});

export type HistoryQueryParams = z.infer<typeof historyQuerySchema>;

/** GET /api/hosts/:hostId/history without `metric`: what can be asked for. */
export interface MetricListDto {
  hostId: string;
  metrics: MetricInfo[];
}
