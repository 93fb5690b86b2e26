// A circuit breaker per remote service (embedding service, iNaturalist, GBIF, Commons): after repeated
// failures calls fail fast until a cool-down passes, then exactly one trial call decides.
import type { ErrorCode } from '../../../src-shared/model';
import { SporeprintError } from '../errors';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (after their retries) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through (half-open). */
  coolDownMs: number;
  /** Code of the fail-fast error, named for the domain that owns the service. */
  errorCode?: ErrorCode;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  /** A half-open circuit's single trial is under way: everyone else still fails fast. */
  private probing = false;
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

  /** Throws without calling when the circuit is open (or its one trial is already running). */
  assertClosed(): void {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      const wait = Math.max(0, this.options.coolDownMs - (this.now() - (this.openedAt ?? 0)));
      throw new SporeprintError(
        this.options.errorCode ?? 'PROVIDER_UNAVAILABLE',
        `${this.name} is paused after ${this.failures} consecutive failures; next try in ${Math.ceil(wait / 1000)} s (circuit open)`,
      );
    }
    if (state === 'half-open') this.probing = true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
  }

  recordFailure(): void {
    this.failures++;
    // A failed half-open trial re-opens at once; otherwise the threshold decides.
    if (this.openedAt !== null || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
    this.probing = false;
  }

  /** Ends a trial without judging the service (a cancellation, a 404 for one missing object). */
  release(): void {
    this.probing = false;
  }

  /** Runs `call` through the breaker. Cancellation is not the service's fault and is not counted. */
  async run<T>(call: () => Promise<T>, isCancelled: () => boolean = () => false): Promise<T> {
    this.assertClosed();
    try {
      const value = await call();
      this.recordSuccess();
      return value;
    } catch (err) {
      if (isCancelled()) this.release();
      else this.recordFailure();
      throw err;
    }
  }
}
