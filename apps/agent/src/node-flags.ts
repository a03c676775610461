/**
 * The Node.js flags the agent runs with, wherever it is started: the `agent`
 * script, the shebang of dist/main.js, the hub's single-host mode, the
 * benchmark and the README's service example.
 *
 * A monitor must cost its machine almost nothing, and an agent spends most of
 * its life waiting: V8's optimizing compilers would hold more memory than they
 * save time. `--jitless` runs everything in the interpreter (no compiled code
 * in memory), `--optimize-for-size` makes V8 favour a smaller heap over
 * speed, and `--no-expose-wasm` says what `--jitless` implies anyway, which
 * keeps V8 from printing a warning at every start. What they save and cost,
 * measured: docs/BENCHMARKS.md, "1. Agent overhead".
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--jitless', '--no-expose-wasm', '--optimize-for-size'];
