/**
 * Runs tasks one after another per key, in the order they were queued, while
 * tasks of different keys run freely. Socket.io delivers an agent's messages
 * concurrently once a handler awaits, and a read-compare-write of one host
 * must not interleave with another, or its latest snapshot could rewind.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget idle keys so that the map does not grow with every host ever seen.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
