import { NOT_AVAILABLE } from './units.format';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A length of time in its two largest units: "3 d 4 h", "4 h 12 min", "12 min 5 s", "45 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return NOT_AVAILABLE;
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / DAY);
  const hours = Math.floor((whole % DAY) / HOUR);
  const minutes = Math.floor((whole % HOUR) / MINUTE);
  const secs = whole % MINUTE;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${secs} s`;
  return `${secs} s`;
}

/** An age in its largest unit only, since "ago" texts are read at a glance. */
function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < MINUTE) return `${seconds} s`;
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)} min`;
  if (seconds < DAY) return `${Math.floor(seconds / HOUR)} h`;
  return `${Math.floor(seconds / DAY)} d`;
}

/**
 * "12 s ago" relative to `now`. Times from an agent's clock can lie ahead of
 * the hub's, so a future time reads "in 12 s" rather than a negative age.
 */
export function formatRelative(at: number, now: number): string {
  const diff = now - at;
  if (Math.abs(diff) < 1000) return 'just now';
  return diff > 0 ? `${formatAge(diff)} ago` : `in ${formatAge(-diff)}`;
}

export interface InstantView {
  /** Relative text, e.g. "12 s ago", or what to show when the time is unknown. */
  text: string;
  /** ISO 8601 time for a `datetime`/`title` attribute; empty when unknown. */
  iso: string;
}

/** A moment shown relative to `now`, with its absolute ISO time kept for a tooltip. */
export function describeInstant(at: number | null | undefined, now: number, unknownText = NOT_AVAILABLE): InstantView {
  if (typeof at !== 'number' || !Number.isFinite(at)) return { text: unknownText, iso: '' };
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return { text: unknownText, iso: '' };
  return { text: formatRelative(at, now), iso: date.toISOString() };
}
