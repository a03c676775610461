// Natural order so that web-2 sorts before web-10; a fixed locale keeps the
// order the same whatever the server's locale is, and the same as the page
// script's, which inserts new rows by it.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Ranks host names in the list's order, names the collator calls equal
 * sharing a rank. The collator is the dearest part of ordering a fleet (a
 * thousand names take some ten thousand comparisons), while names rarely
 * change: they are ranked once, and again only when a name not ranked yet
 * turns up, which also drops the names no longer listed.
 */
export class NameOrder {
  private ranks = new Map<string, number>();

  rank(names: readonly string[]): ReadonlyMap<string, number> {
    if (names.every((name) => this.ranks.has(name))) return this.ranks;
    const sorted = [...new Set(names)].sort(compareNames);
    const ranks = new Map<string, number>();
    let rank = 0;
    sorted.forEach((name, index) => {
      if (index > 0 && compareNames(sorted[index - 1] as string, name) !== 0) rank += 1;
      ranks.set(name, rank);
    });
    this.ranks = ranks;
    return ranks;
  }
}
