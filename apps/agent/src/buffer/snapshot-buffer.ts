import type { SnapshotQueue } from './snapshot-queue';

/**
 * Snapshots the hub has not acknowledged yet, oldest first. Bounded, because
 * a hub that stays away must not make the agent eat the machine it watches:
 * when full, the oldest entry makes room for the newest.
 */
export class SnapshotBuffer<T> implements SnapshotQueue<T> {
  private readonly items: T[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length;
  }

  /** Appends an entry and returns how many old entries were dropped to make room (0 or 1). */
  push(item: T): number {
    this.items.push(item);
    const overflow = this.items.length - this.capacity;
    if (overflow <= 0) return 0;
    this.items.splice(0, overflow);
    return overflow;
  }

  /** The oldest entry, which is the next to send. */
  peek(): T | undefined {
    return this.items[0];
  }

  find(predicate: (item: T) => boolean): T | undefined {
    return this.items.find(predicate);
  }

  /**
   * Removes this exact entry if it is still held. By the time its ack arrives
   * it may already have been dropped to make room, so it is looked up rather
   * than assumed to be first.
   */
  remove(item: T): boolean {
    const index = this.items.indexOf(item);
    if (index === -1) return false;
    this.items.splice(index, 1);
    return true;
  }

  toArray(): T[] {
    return [...this.items];
  }
}
