export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  /** 0..1: how far a delay may stray from the exponential curve either way. */
  jitter: number;
  /** 0 <= x < 1, injected so tests are deterministic. */
  random: () => number;
}

/**
 * Exponential delays with jitter, so that many agents that lost the same hub
 * do not all come back in the same instant. Mirrors socket.io-client's own
 * reconnection delays, for the cases where it does not reconnect by itself.
 */
export class Backoff {
  private attempts = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const { minMs, maxMs, jitter, random } = this.options;
    const base = Math.min(minMs * 2 ** this.attempts, maxMs);
    this.attempts += 1;
    const deviation = (random() * 2 - 1) * jitter * base;
    return Math.round(Math.min(Math.max(base + deviation, 0), maxMs));
  }

  reset(): void {
    this.attempts = 0;
  }
}
