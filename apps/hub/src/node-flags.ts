/**
 * The Node.js flags the hub runs with: the `start` and `hub` scripts and the
 * benchmark use them.
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
 * room means fewer of them for the same work. At 10,000 agents the heap then
 * peaks near 300 MB (about 170 MB live) and RSS stays under 700 MiB.
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=200'];
