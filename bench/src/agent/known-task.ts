/*
 * A control for the agent's longest task: a Node process, with the agent's
 * flags and the same task monitor (longest-task.preload), that does one fixed
 * piece of work per tick (every HOSTWATCH_BENCH_LOOP_WINDOW_MS): a sample
 * fixture serialised, parsed and encoded for the wire KNOWN_TASK_REPETITIONS
 * times, about as long as the agent's own longest task at the median. The
 * work never changes, so whatever its longest task measures beyond its
 * median is what the machine added: other processes and threads taking the
 * cores, the VM's own pauses, a collection that happened to fall in it.
 */
import { encodeSnapshot } from '@hostwatch/protocol';
import { validSnapshot } from '@hostwatch/protocol/testing';

/** With the agent's flags, about as long as the agent's own longest task at the median (both: docs/BENCHMARKS.md, "1. Agent overhead"). */
const KNOWN_TASK_REPETITIONS = 10;

const tickMs = Number(process.env['HOSTWATCH_BENCH_LOOP_WINDOW_MS'] ?? '1000');
const snapshot = validSnapshot();

function knownWork(): number {
  let bytes = 0;
  for (let i = 0; i < KNOWN_TASK_REPETITIONS; i += 1) {
    const copy = JSON.parse(JSON.stringify(snapshot)) as typeof snapshot;
    bytes += encodeSnapshot(copy).length;
  }
  return bytes;
}

if (require.main === module) {
  // Half a tick off the monitor's window boundary, so each window holds exactly one run.
  setTimeout(() => {
    knownWork();
    setInterval(knownWork, tickMs);
  }, tickMs / 2);
  process.on('SIGTERM', () => process.exit(0));
}
