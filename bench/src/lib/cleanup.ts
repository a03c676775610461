/**
 * Everything a benchmark started, undone in reverse order: at the end of a
 * benchmark, on an error, and on Ctrl-C or SIGTERM. Synchronous undo steps
 * also run from the 'exit' event, so a crash leaves no process or cgroup behind.
 */
export class Cleanup {
  private readonly tasks = new Map<number, { run: () => Promise<void> | void; runSync?: () => void }>();
  private next = 0;

  /** Registers an undo step; the returned function unregisters it once it was done by hand. */
  add(run: () => Promise<void> | void, runSync?: () => void): () => void {
    const id = this.next++;
    this.tasks.set(id, { run, runSync });
    return () => void this.tasks.delete(id);
  }

  async runAll(): Promise<void> {
    const ids = [...this.tasks.keys()].reverse();
    for (const id of ids) {
      const task = this.tasks.get(id);
      this.tasks.delete(id);
      try {
        await task?.run();
      } catch (error) {
        console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  runAllSync(): void {
    const ids = [...this.tasks.keys()].reverse();
    for (const id of ids) {
      const task = this.tasks.get(id);
      this.tasks.delete(id);
      try {
        task?.runSync?.();
      } catch {
        // Best effort while the process is going away.
      }
    }
  }

  /** Ctrl-C and SIGTERM undo everything, then end the process. */
  installSignalHandlers(): void {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        this.runAllSync();
        process.exit(130);
      }
      stopping = true;
      console.error(`\n${signal}: stopping every process the benchmark started`);
      void this.runAll().finally(() => process.exit(130));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('exit', () => this.runAllSync());
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
