// @ts-check
/*
 * What one collector sample costs this machine: CPU time of this process and of
 * every child it waited for, wall time, and the longest event-loop stall while
 * the sample ran. Not a test: numbers depend on the machine and its load.
 *
 *   npx tsc -b && node bench/sample-cost.js [--samples 50] [--interval-ms 1000] [--path both|fast|si]
 *
 * The event-loop figures come from monitorEventLoopDelay at 1 ms resolution, so
 * they include that millisecond and any time the OS ran something else
 * instead; the `idle` row measures the same window with nothing to do, as the
 * floor that the machine itself sets.
 *
 * `fast` reads /proc and /sys directly (the Linux path), `si` goes through
 * systeminformation for every metric group. With `both`, the two collectors
 * take turns sample by sample, so that other load on the machine hits both
 * alike. RSS is only meaningful with a single path per process.
 */
const { readFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { createCollector } = require('../dist');

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const samples = Number(arg('samples', '50'));
const intervalMs = Number(arg('interval-ms', '1000'));
const which = arg('path', 'both');

/** CPU seconds of waited-for children (cutime + cstime), in clock ticks of 10 ms on Linux. */
function childTicks() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]);
}
const TICK_MS = 10;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();

async function measure(run) {
  const children = childTicks();
  eld.reset();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  // Let the delay timer fire once more, so that a stall at the very end is recorded.
  await sleep(3);
  const childMs = (childTicks() - children) * TICK_MS;
  return { cpuMs: (used.user + used.system) / 1000 + childMs, childMs, wallMs, maxBlockMs: eld.max / 1e6 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main() {
  const paths = which === 'both' ? ['si', 'fast'] : [which];
  /** @type {Record<string, import('../dist').Collector>} */
  const collectors = {
    si: createCollector({}, undefined, null),
    fast: createCollector({}),
  };
  /** @type {Record<string, Array<{cpuMs: number, childMs: number, wallMs: number, maxBlockMs: number}>>} */
  const results = { si: [], fast: [], idle: [] };
  // The first sample of each fills caches and baselines; it is reported apart.
  const first = {};
  for (const path of paths) first[path] = await measure(() => collectors[path].sample());
  for (let i = 0; i < samples; i += 1) {
    for (const path of paths) {
      await sleep(intervalMs);
      results[path].push(await measure(() => collectors[path].sample()));
    }
    // The same window with nothing to do: the event-loop delay that the machine causes on its own.
    results.idle.push(await measure(() => sleep(20)));
  }
  const rows = [];
  for (const path of [...paths, 'idle']) {
    const r = results[path];
    rows.push({
      path,
      'cpu ms (median)': median(r.map((x) => x.cpuMs)).toFixed(2),
      'cpu ms (p90)': quantile(
        r.map((x) => x.cpuMs),
        0.9,
      ).toFixed(2),
      'children ms (total)': r.reduce((sum, x) => sum + x.childMs, 0),
      'wall ms (median)': median(r.map((x) => x.wallMs)).toFixed(2),
      'max block ms (median)': median(r.map((x) => x.maxBlockMs)).toFixed(2),
      'max block ms (p90)': quantile(
        r.map((x) => x.maxBlockMs),
        0.9,
      ).toFixed(2),
      'max block ms (max)': Math.max(...r.map((x) => x.maxBlockMs)).toFixed(2),
      'first sample wall ms': first[path] ? first[path].wallMs.toFixed(1) : '',
    });
  }
  console.log(`${samples} samples per path, ${intervalMs} ms apart, node ${process.version}, pid ${process.pid}`);
  console.table(rows);
  console.log(`RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(1)} MiB (${paths.join(' + ')} in one process)`);
  eld.disable();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
