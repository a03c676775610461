import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const BENCH_ROOT = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(BENCH_ROOT, '..');
export const RESULTS_DIR = path.join(BENCH_ROOT, 'results');

/** What was measured on: figures from different machines or loads are not comparable. */
export function machineInfo(): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    loadAverageAtStart: os.loadavg(),
  };
}

/** Writes one benchmark's result as a new JSON file; returns its path. */
export function writeResult(name: string, options: Record<string, unknown>, result: unknown, startedAt: Date): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  const body = { benchmark: name, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine: machineInfo(), options, result };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
