/** Counts a subject's completed samples and lets a benchmark wait for the n-th one. */
export class SampleCounter {
  count = 0;
  private waiters: Array<() => void> = [];

  tick(): void {
    this.count += 1;
    for (const wake of this.waiters.splice(0)) wake();
  }

  waitFor(count: number, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: ${this.count} of ${count} samples within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (this.count >= count) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
}
