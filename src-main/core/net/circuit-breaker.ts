// A circuit breaker per remote service: after repeated failures, calls fail fast until a cool-down passes.
import { SporeprintError } from '../errors';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (after their retries) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through (half-open). */
  coolDownMs: number;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private readonly now: () => number;

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open';
  }

  /** Throws SOURCE_FAILED without calling when the circuit is open. */
  assertClosed(): void {
    if (this.state === 'open')
      throw new SporeprintError('SOURCE_FAILED', `${this.name} is paused after ${this.failures} consecutive failures (circuit open)`);
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  recordFailure(): void {
    this.failures++;
    // A failed half-open trial re-opens at once; otherwise the threshold decides.
    if (this.openedAt !== null || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  /** Runs `call` through the breaker. Cancellation is not the service's fault and is not counted. */
  async run<T>(call: () => Promise<T>, isCancelled: () => boolean = () => false): Promise<T> {
    this.assertClosed();
    try {
      const value = await call();
      this.recordSuccess();
      return value;
    } catch (err) {
      if (!isCancelled()) this.recordFailure();
      throw err;
    }
  }
}
