/** One metric group's reader. Each sample is measured against the probe's own previous one. */
export interface Probe<T> {
  sample(): Promise<T>;
}
