// Everything here turns whatever the operating system reported (which may be
// null, NaN, -1, an absurd string) into a value the protocol schema accepts,
// so a sample always validates however odd the machine is.

// Control characters could rewrite a terminal (ANSI escapes in a process name)
// or break a log line, so they are replaced before a string leaves the host.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** A string trimmed of control characters and cut to `max` UTF-16 units without splitting a surrogate pair. */
export function capText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const clean = value.replace(CONTROL_CHARS, ' ').trim();
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Like capText, but an empty string means the machine did not say. */
export function capTextOrNull(value: unknown, max: number): string | null {
  const text = capText(value, max);
  return text === '' ? null : text;
}

export function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Sensors and counters report "unknown" as null, -1 or 0; all of them mean absent here. */
export function positiveOrNull(value: unknown): number | null {
  const n = finiteOrNull(value);
  return n !== null && n > 0 ? n : null;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function percentOrNull(value: unknown): number | null {
  const n = finiteOrNull(value);
  return n === null ? null : clamp(n, 0, 100);
}

/** A whole, non-negative, exactly representable number (bytes, counts, pids), or null. */
export function wholeOrNull(value: unknown): number | null {
  const n = finiteOrNull(value);
  return n === null || n < 0 ? null : Math.min(Math.round(n), Number.MAX_SAFE_INTEGER);
}

export function wholeOrZero(value: unknown): number {
  return wholeOrNull(value) ?? 0;
}

export function booleanOrNull(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}
