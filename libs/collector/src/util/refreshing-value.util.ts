/**
 * A value that is expensive to read and rarely changes (the filesystem list,
 * interface metadata): read at most once per `maxAgeMs`, and shared by
 * concurrent callers while a read is in flight.
 */
export class RefreshingValue<T> {
  private current: { value: T; readAt: number } | null = null;
  private inFlight: Promise<T> | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  get(): Promise<T> {
    if (this.current !== null) {
      const age = this.now() - this.current.readAt;
      // A clock that jumped backwards would otherwise freeze the value forever.
      if (age >= 0 && age < this.maxAgeMs) return Promise.resolve(this.current.value);
    }
    this.inFlight ??= this.refresh();
    return this.inFlight;
  }

  /** The next get reads again, however young the value is. */
  invalidate(): void {
    this.current = null;
  }

  private async refresh(): Promise<T> {
    try {
      const value = await this.read();
      this.current = { value, readAt: this.now() };
      return value;
    } catch (error) {
      // A stale list beats a failed sample; the next call tries again.
      if (this.current !== null) return this.current.value;
      throw error;
    } finally {
      this.inFlight = null;
    }
  }
}
