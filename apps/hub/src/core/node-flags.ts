/**
 * The Node.js flags the hub runs with: the `start` and `hub` scripts, the
 * shebang of `dist/main.js` (the `hostwatch-hub` command) and the benchmark
 * use them.
 *
 * --max-semi-space-size=32: under load much of what a message allocates is
 * still in use when V8's default 16 MiB young generation fills; twice the
 * room halves the scavenges and what they promote.
 *
 * --heap-growing-percent=200: after a full collection the old generation may
 * grow to three times what survived before the next one. V8 otherwise sizes
 * that room for throughput and, with little promoted, left little of it. A
 * full collection holds the event loop while it marks (the ack latency's
 * largest cause), and its cost depends on what is live, not on the room, so
 * more room means fewer of them for the same work.
 *
 * --no-memory-reducer: V8's memory reducer starts a full collection when it
 * judges the program idle enough to give memory back, well before the room
 * above is used. A hub's memory follows its hosts, not idle spells, so there
 * is little for it to give back between collections.
 *
 * What each flag changed, measured: docs/BENCHMARKS.md, "Why the hub is
 * built as it is".
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=200', '--no-memory-reducer'];
