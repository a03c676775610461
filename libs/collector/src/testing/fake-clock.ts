/** A clock that moves only when a test says so. */
export class FakeClock {
  constructor(private ms = 1_764_000_000_000) {}

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}
