/**
 * Turns ever-growing byte counters into per-second rates between two readings.
 * systeminformation computes such rates itself, but from module-wide state that
 * every caller shares and with its own clock; measuring here keeps each
 * collector independent and testable with an injected clock.
 */
export class RateMeter {
  private previous: { at: number; totals: Map<string, number> } | null = null;

  /**
   * Rates since the previous call for every key of `totals`. A rate is null on
   * the first reading of a key, when its counter is unknown or went backwards
   * (a reset or a re-created interface), or when no time passed.
   */
  measure(at: number, totals: ReadonlyMap<string, number | null>): Map<string, number | null> {
    const rates = new Map<string, number | null>();
    const kept = new Map<string, number>();
    for (const [key, total] of totals) {
      if (total !== null) kept.set(key, total);
      rates.set(key, this.rateOf(key, total, at));
    }
    this.previous = { at, totals: kept };
    return rates;
  }

  private rateOf(key: string, total: number | null, at: number): number | null {
    const before = this.previous?.totals.get(key);
    if (this.previous === null || before === undefined || total === null) return null;
    const seconds = (at - this.previous.at) / 1000;
    if (!(seconds > 0) || total < before) return null;
    return (total - before) / seconds;
  }
}
