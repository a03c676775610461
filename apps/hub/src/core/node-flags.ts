/**
 * The Node.js flags the hub runs with: the `start` and `hub` scripts, the
 * shebang of `dist/main.js` (the `hostwatch-hub` command) and the benchmark
 * use them.
 *
 * --max-semi-space-size=32: at 1,000 snapshots a second, much of what a
 * message allocates is still in use when V8's default 16 MiB young
 * generation fills. 32 MiB halves the scavenges; measured at 10,000 agents:
 * hub CPU 55 % of a core instead of 60-64 %, and the ack p99 about halved.
 *
 * --heap-growing-percent=200: after a full collection the old generation may
 * grow to three times what survived before the next one. V8 otherwise sizes
 * that room from how fast it collects compared with how fast the hub
 * promotes, aiming at throughput: with little promoted it chose 1.3-2 times,
 * a full collection every 15-30 s at 10,000 agents. Each one holds the event
 * loop 100-300 ms on two shared cores while it marks (the ack p99's largest
 * cause), and its cost depends on what is live, not on the room, so more
 * room means fewer of them for the same work.
 *
 * --no-memory-reducer: V8's memory reducer starts a full collection when it
 * judges the program idle enough to give memory back, and at 10,000 agents
 * it did so about 105 s after each one, well before the room above was
 * used: 2 full collections in a 300 s window, p99 ack 99.2 ms. Without it
 * they come when the room is used: 1 in 300 s, p99 65.7 ms, for RSS 770 MiB
 * instead of 666 (heap near 500 MB at its peak, about 170 MB live). A hub's
 * memory follows its hosts, not idle spells, so there is little for the
 * reducer to give back between collections.
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=200', '--no-memory-reducer'];
