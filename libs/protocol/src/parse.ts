import type { z } from 'zod';

export type ParseResult<T> = { ok: true; data: T } | { ok: false; message: string };

/** How many problems a message names at most: a hostile payload can have thousands. */
const MAX_ISSUES_REPORTED = 5;

/**
 * Validates untrusted input against a schema and turns failures into one
 * readable line that names the path of each problem, e.g.
 * `cpu.usagePercent: Invalid input: expected number, received string`.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues;
  const named = issues.slice(0, MAX_ISSUES_REPORTED).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = issues.length > MAX_ISSUES_REPORTED ? ` (and ${issues.length - MAX_ISSUES_REPORTED} more)` : '';
  return { ok: false, message: named.join('; ') + more };
}
