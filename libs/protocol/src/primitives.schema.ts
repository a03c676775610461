import { z } from 'zod';
import { HOST_ID_PATTERN } from './host-id';
import { LIMITS } from './limits';

/** Host ids appear in URLs and file names, so they are kept to a safe alphabet. */
export const hostIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.hostIdLength)
  .regex(HOST_ID_PATTERN, 'must start with a letter or digit and hold only letters, digits, ".", "_" and "-"');

export const text = (max: number) => z.string().max(max);

/** Byte counts: whole, non-negative and exactly representable. */
export const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A rate in bytes per second; null when it cannot be known yet (the first sample). */
export const bytesPerSecond = z.number().nonnegative().nullable();

/** 0..100; z.number() already refuses NaN and ±Infinity. */
export const percent = z.number().min(0).max(100);

/** Milliseconds since the Unix epoch. */
export const epochMs = z.number().int().nonnegative().max(8.64e15);

export const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Degrees Celsius; sensors report plausible values in this range. */
export const celsius = z.number().min(-100).max(300);
