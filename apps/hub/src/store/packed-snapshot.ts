import type { Snapshot } from '@hostwatch/protocol';

/** Room for a host's next snapshot to be a little larger without a new buffer. */
const HEADROOM = 1.25;
const CAPACITY_STEP = 1024;

/**
 * One host's latest snapshot, kept as its compact JSON text (JSON.stringify
 * of the validated snapshot, never the text an agent sent, which may be
 * padded with whitespace up to the message limit) in a buffer of its own
 * that every later snapshot of the host is written over.
 *
 * Why not the parsed object: it is dozens of small objects that live one
 * interval, long enough for V8's scavenger to copy each one twice and
 * promote it, and with thousands of hosts they made most of what the old
 * generation gained, so its full collections, each holding the event loop,
 * came far more often (docs/BENCHMARKS.md, "Why the hub is built as it is"). Bytes
 * outside V8's heap, in a buffer that is reused rather than replaced, leave
 * nothing behind for either collector. A read parses the text again, for a
 * page or an update, never for the acknowledgement of a snapshot.
 */
export class PackedSnapshot {
  private buffer = Buffer.alloc(0);
  private length = 0;

  /** `json`: the snapshot's compact JSON, as compactJson gives it. */
  constructor(json: string) {
    this.write(json);
  }

  /**
   * The bytes a PackedSnapshot of `capacity` bytes holds once it is given
   * `bytes` bytes of text: for a budget to judge a write before it is made.
   */
  static capacityAfter(capacity: number, bytes: number): number {
    // A much smaller snapshot gets a smaller buffer, so that room made for one oversized sample is not kept forever.
    if (bytes > capacity || bytes * HEADROOM * 4 < capacity) return Math.ceil((bytes * HEADROOM) / CAPACITY_STEP) * CAPACITY_STEP;
    return capacity;
  }

  /** Replaces what is kept with this snapshot's compact JSON. */
  write(json: string): void {
    const capacity = PackedSnapshot.capacityAfter(this.buffer.length, Buffer.byteLength(json));
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool that would pin the rest of the pool.
    if (capacity !== this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(capacity);
    this.length = this.buffer.write(json, 0, 'utf8');
  }

  /** A new copy of the snapshot, which the caller may keep or change. */
  read(): Snapshot {
    return JSON.parse(this.buffer.toString('utf8', 0, this.length)) as Snapshot;
  }

  /** Bytes held: what counts against the hub's budget for latest snapshots. */
  get capacity(): number {
    return this.buffer.length;
  }
}

/**
 * The text a host's latest is kept as: the snapshot written anew, so that
 * nothing but its data is held, whatever the agent's text was padded with.
 * Cheaper than a check that could tell padded text from compact text: both
 * read every character, and only this one also covers escapes and long
 * number literals.
 */
export function compactJson(snapshot: Snapshot): string {
  return JSON.stringify(snapshot);
}
