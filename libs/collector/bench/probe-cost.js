// @ts-check
/*
 * What each Linux probe costs per sample, and the two ways of sweeping
 * /proc/<pid>/stat side by side: blocking reads in slices between turns of the
 * event loop (the default) and every read through libuv's thread pool. Also
 * what one statfs(2) of each real filesystem costs, which every sample pays
 * for each mount, alone and followed by the stat(2) of its mount point that the
 * probe makes. Not a test.
 *
 *   npx tsc -b && node bench/probe-cost.js [--rounds 50] [--interval-ms 200]
 */
const { statfs } = require('node:fs');
const { nodeStatfsWithDevice } = require('../dist/util/statfs-guard.util');
const { linuxProbes } = require('../dist/probes/probe-set.factory');
const { LinuxProcessesProbe } = require('../dist/probes/linux/linux-processes.probe');
const { LinuxFilesystemsProbe } = require('../dist/probes/linux/linux-filesystems.probe');
const { AsyncReader, SlicedSyncReader } = require('../dist/linux/sliced-reader.util');
const { DEFAULT_LINUX_ROOTS } = require('../dist/linux/linux-roots.util');
const { createSystemSource } = require('../dist/source/system.source');

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}
const rounds = Number(arg('rounds', '50'));
const intervalMs = Number(arg('interval-ms', '200'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function cost(run) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
}

async function main() {
  const now = Date.now;
  const source = createSystemSource();
  const probes = {
    ...linuxProbes(DEFAULT_LINUX_ROOTS, source, { now }),
    'processes (thread pool)': new LinuxProcessesProbe(DEFAULT_LINUX_ROOTS, source, now, 5, new AsyncReader(16)),
    'processes (sliced sync)': new LinuxProcessesProbe(DEFAULT_LINUX_ROOTS, source, now, 5, new SlicedSyncReader(16)),
    'filesystems (uncached)': new LinuxFilesystemsProbe(DEFAULT_LINUX_ROOTS, now, { maxAgeMs: 0 }),
  };
  /** @type {Record<string, Array<{cpuMs: number, wallMs: number}>>} */
  const results = {};
  for (const probe of Object.values(probes)) await probe.sample();
  for (let round = 0; round < rounds; round += 1) {
    // Alternate the order, so that neither sweep always runs right after the other.
    const entries = Object.entries(probes);
    if (round % 2 === 1) entries.reverse();
    for (const [name, probe] of entries) {
      await sleep(intervalMs / entries.length);
      (results[name] ??= []).push(await cost(() => probe.sample()));
    }
  }
  const mounts = (await probes['filesystems (uncached)'].sample()).map((f) => f.mount);
  const statfsCosts = [];
  for (let round = 0; round < rounds; round += 1) {
    await sleep(5);
    statfsCosts.push(await cost(() => Promise.all(mounts.map((m) => new Promise((resolve) => statfs(m, resolve))))));
  }
  // What the probe calls: statfs and then stat of each mount point, whose device tells one filesystem from another.
  const withDeviceCosts = [];
  for (let round = 0; round < rounds; round += 1) {
    await sleep(5);
    withDeviceCosts.push(await cost(() => Promise.all(mounts.map((m) => nodeStatfsWithDevice(m)))));
  }
  console.table(
    Object.entries(results).map(([name, r]) => ({
      probe: name,
      'cpu ms (median)': median(r.map((x) => x.cpuMs)).toFixed(2),
      'wall ms (median)': median(r.map((x) => x.wallMs)).toFixed(2),
    })),
  );
  console.log(`statfs of ${mounts.length} mount(s): ${median(statfsCosts.map((x) => x.cpuMs)).toFixed(3)} ms CPU (median)`);
  console.log(`statfs then stat of each: ${median(withDeviceCosts.map((x) => x.cpuMs)).toFixed(3)} ms CPU (median)`);
  console.log(`${(await probes.processes.sample()).total} processes, ${rounds} rounds, node ${process.version}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
