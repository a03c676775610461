/**
 * What the agent needs from its store of snapshots the hub has not
 * acknowledged yet: oldest first, bounded, the oldest dropped when full.
 */
export interface SnapshotQueue<T> {
  readonly capacity: number;
  readonly size: number;
  /** Appends an entry and returns how many old entries were dropped to make room. */
  push(item: T): number;
  /** The oldest entry, which is the next to send. */
  peek(): T | undefined;
  /** The oldest entry that matches, e.g. the first one not yet in flight. */
  find(predicate: (item: T) => boolean): T | undefined;
  /** Removes this exact entry if it is still held; false when it was already dropped. */
  remove(item: T): boolean;
  toArray(): T[];
}
