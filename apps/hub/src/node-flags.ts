/**
 * The Node.js flags the hub runs with: the `start` and `hub` scripts and the
 * benchmark use them.
 *
 * Every host's latest snapshot lives about one interval before the next one
 * replaces it, so at 1,000 snapshots a second most young objects survive a
 * scavenge of V8's default 16 MiB semi-space, are copied, and promoted into
 * the old generation, whose collections then paused the hub for hundreds of
 * ms. A 32 MiB semi-space halves the scavenges; measured at 10,000 agents:
 * hub CPU 55 % of a core instead of 60-64 %, and the ack p99 about halved.
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
