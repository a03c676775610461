/** The tiers history keeps: every sample, then minute and hour summaries. */
export type HistoryTier = 'raw' | '1m' | '1h';

/** How long each history tier keeps its points, in ms. */
export type Retention = Record<HistoryTier, number>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_RETENTION: Retention = { raw: 48 * HOUR, '1m': 30 * DAY, '1h': 365 * DAY };

/** Finest first: a coarser tier is summarised from the one before it. */
export const TIERS: readonly HistoryTier[] = ['raw', '1m', '1h'];

const UNITS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY, y: 365 * DAY };

/** The longest retention anyone needs; it also keeps the ms arithmetic far from overflow. */
const MAX_RETENTION = 100 * UNITS['y']!;

export const RETENTION_SPEC_HELP = 'TIER=DURATION pairs, e.g. raw=48h,1m=30d,1h=1y (tiers raw, 1m, 1h; units s, m, h, d, w, y)';

export type RetentionResult = { ok: true; retention: Retention } | { ok: false; message: string };

/**
 * Reads `raw=48h,1m=30d,1h=1y`. Any subset may be given; the rest keep their
 * defaults. A coarser tier must keep at least as long as a finer one, since it
 * is summarised from it: otherwise a range could fall between the tiers.
 */
export function parseRetention(spec: string): RetentionResult {
  const retention: Retention = { ...DEFAULT_RETENTION };
  const seen = new Set<string>();
  const parts = spec.split(',').map((part) => part.trim());
  if (spec.trim() === '') return { ok: false, message: `must be ${RETENTION_SPEC_HELP}` };
  for (const part of parts) {
    const match = /^([^=\s]+)\s*=\s*(\d+)\s*([a-z]*)$/.exec(part);
    if (!match) return { ok: false, message: `'${part}' is not TIER=DURATION; expected ${RETENTION_SPEC_HELP}` };
    const [, tier = '', amount = '', unit = ''] = match;
    if (!(TIERS as readonly string[]).includes(tier)) return { ok: false, message: `unknown tier '${tier}' (tiers are ${TIERS.join(', ')})` };
    if (seen.has(tier)) return { ok: false, message: `tier '${tier}' is given twice` };
    seen.add(tier);
    const factor = UNITS[unit];
    if (factor === undefined) return { ok: false, message: `'${part}' needs a unit: one of ${Object.keys(UNITS).join(', ')}` };
    const ms = Number(amount) * factor;
    if (ms <= 0) return { ok: false, message: `'${part}': a retention must be longer than 0` };
    if (ms > MAX_RETENTION) return { ok: false, message: `'${part}': a retention must be at most 100y` };
    retention[tier as HistoryTier] = ms;
  }
  for (let i = 1; i < TIERS.length; i++) {
    const finer = TIERS[i - 1]!;
    const coarser = TIERS[i]!;
    if (retention[coarser] < retention[finer]) {
      return {
        ok: false,
        message: `${coarser} (${formatDuration(retention[coarser])}) must keep at least as long as ${finer} (${formatDuration(retention[finer])})`,
      };
    }
  }
  return { ok: true, retention };
}

/** The largest unit that divides the duration, so `formatDuration(parse(x))` reads like what the user wrote. */
export function formatDuration(ms: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's']) {
    const factor = UNITS[unit]!;
    if (ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

export function formatRetention(retention: Retention): string {
  return TIERS.map((tier) => `${tier}=${formatDuration(retention[tier])}`).join(',');
}
