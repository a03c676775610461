import type { Snapshot } from '@hostwatch/protocol';

/** Room for a host's next snapshot to be a little larger without a new buffer. */
const HEADROOM = 1.25;
const CAPACITY_STEP = 1024;

/**
 * One host's latest snapshot, kept as its JSON text in a buffer of its own
 * that every later snapshot of the host is written over.
 *
 * Why not the parsed object: it is about 60 small objects (2.3 KB) that live
 * one interval, long enough for V8's scavenger to copy each one twice and
 * promote it. At 10,000 hosts they were more than half of what the old
 * generation gained, so its full collections, each holding the event loop
 * for hundreds of ms on two shared cores, came twice as often. Bytes outside
 * V8's heap, in a buffer that is reused rather than replaced, leave nothing
 * behind for either collector. A read parses the text again: about 16 us,
 * done for a page or an update, never for the acknowledgement of a snapshot.
 */
export class PackedSnapshot {
  private buffer: Buffer;
  private length = 0;

  constructor(snapshot: Snapshot, json: string | null = null) {
    this.buffer = Buffer.alloc(0);
    this.write(snapshot, json);
  }

  /**
   * Replaces what is kept with this snapshot. `json`: the text it was parsed
   * from, when the caller has it, which saves a stringify (~14 us); it is
   * at most LIMITS.maxMessageBytes, as an inflated snapshot is.
   */
  write(snapshot: Snapshot, json: string | null = null): void {
    const text = json ?? JSON.stringify(snapshot);
    const bytes = Buffer.byteLength(text);
    // A much smaller snapshot gets a smaller buffer, so that room made for one oversized sample is not kept forever.
    if (bytes > this.buffer.length || bytes * HEADROOM * 4 < this.buffer.length) {
      // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool that would pin the rest of the pool.
      this.buffer = Buffer.allocUnsafeSlow(Math.ceil((bytes * HEADROOM) / CAPACITY_STEP) * CAPACITY_STEP);
    }
    this.length = this.buffer.write(text, 0, 'utf8');
  }

  /** A new copy of the snapshot, which the caller may keep or change. */
  read(): Snapshot {
    return JSON.parse(this.buffer.toString('utf8', 0, this.length)) as Snapshot;
  }

  /** Bytes held, for tests and benchmarks. */
  get capacity(): number {
    return this.buffer.length;
  }
}
