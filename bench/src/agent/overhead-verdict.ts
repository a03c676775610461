/**
 * What the agent's CPU per sample against node_exporter's supports, given
 * both ways it is measured: alternating rounds (each alone on the machine in
 * turn) and one concurrent window (all side by side). A claim is made only
 * as far as both ratios carry it, and it names the load they were taken under.
 */

export type Comparison = 'below' | 'about equal' | 'above';
export type Claim = Comparison | 'not above' | 'not below' | 'undecided';
export type Load = 'quiet' | 'loaded';

/**
 * Ratios within 10 % of 1 are 'about equal': one subject's rounds in the
 * same run spread about that much (node_exporter's, per sample, across the
 * rounds of one run), so a smaller gap is not shown by one run.
 */
export const EQUAL_MARGIN = 0.1;

export interface MethodRatio {
  method: 'alternating' | 'concurrent';
  /** The agent's CPU per sample over node_exporter's. */
  ratio: number;
  load: Load;
}

export interface OverheadVerdict {
  intervalS: number;
  claim: Claim;
  load: Load | 'mixed';
  methods: Array<MethodRatio & { comparison: Comparison | null }>;
  text: string;
}

/** null for a ratio that was not measured. */
export function compareRatio(ratio: number): Comparison | null {
  if (!Number.isFinite(ratio) || ratio <= 0) return null;
  if (ratio < 1 - EQUAL_MARGIN) return 'below';
  if (ratio > 1 + EQUAL_MARGIN) return 'above';
  return 'about equal';
}

const ORDER: readonly Comparison[] = ['below', 'about equal', 'above'];

const CLAIM_TEXT: Record<Claim, string> = {
  below: 'below',
  'about equal': 'about equal to',
  above: 'above',
  'not above': 'at most about equal to',
  'not below': 'at least about equal to',
  undecided: 'not decided against',
};

export function overheadVerdict(intervalS: number, measured: readonly MethodRatio[]): OverheadVerdict {
  const methods = measured.map((m) => ({ ...m, comparison: compareRatio(m.ratio) }));
  const figures = methods.map((m) => `${m.method} ${Number.isFinite(m.ratio) ? m.ratio.toFixed(2) : '-'}x, ${m.load}`).join('; ');
  const loads = new Set(methods.map((m) => m.load));
  const load: Load | 'mixed' = loads.size === 1 ? [...loads][0] : 'mixed';
  const known = methods.flatMap((m) => (m.comparison === null ? [] : [ORDER.indexOf(m.comparison)]));
  const both = new Set(methods.map((m) => m.method)).size === 2 && known.length === methods.length;
  let claim: Claim = 'undecided';
  if (both) {
    const low = Math.min(...known);
    const high = Math.max(...known);
    if (low === high) claim = ORDER[low];
    else if (high - low === 1) claim = low === 0 ? 'not above' : 'not below';
  }
  const where = load === 'quiet' ? 'on a quiet machine' : load === 'loaded' ? 'under load' : 'one method under load';
  const text = both
    ? `${CLAIM_TEXT[claim]} node_exporter at ${intervalS} s by both methods, ${where} (${figures})`
    : `not decided at ${intervalS} s: it needs both methods (${figures || 'none measured'})`;
  return { intervalS, claim, load, methods, text };
}
