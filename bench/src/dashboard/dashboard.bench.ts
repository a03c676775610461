import type { Cleanup } from '../lib/cleanup';
export interface DashboardBenchOptions {
  durationS: number;
  hostCounts: number[];
}
export async function runDashboardBench(options: DashboardBenchOptions, cleanup: Cleanup): Promise<Record<string, unknown>> {
  void cleanup;
  return { options };
}
