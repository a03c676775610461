import { LIMITS } from './limits';

/** Host ids appear in URLs and file names, so they are kept to a safe alphabet. */
export const HOST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The same test as hostIdSchema, for code that must not load the schema library. */
export function isHostId(text: string): boolean {
  return text.length >= 1 && text.length <= LIMITS.hostIdLength && HOST_ID_PATTERN.test(text);
}
