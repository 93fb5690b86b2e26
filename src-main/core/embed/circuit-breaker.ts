// A circuit breaker: after repeated failures calls fail fast for a cool-down, then one probe decides.
import { SporeprintError } from '../errors';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a single probe is let through. */
  cooldownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: BreakerState = 'closed';

  constructor(
    private readonly name: string,
    private readonly options: BreakerOptions,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.current = 'half-open';
    return this.current;
  }

  /** Runs `attempt` unless the circuit is open; a half-open circuit lets exactly one call through. */
  async call<T>(attempt: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) {
      const wait = Math.max(0, this.options.cooldownMs - (this.now() - this.openedAt));
      throw new SporeprintError(
        'PROVIDER_UNAVAILABLE',
        `${this.name} is failing; not calling it for another ${Math.ceil(wait / 1000)} s (circuit open)`,
      );
    }
    const probe = state === 'half-open';
    if (probe) this.probing = true;
    try {
      const result = await attempt();
      this.failures = 0;
      this.current = 'closed';
      return result;
    } catch (err) {
      this.failures++;
      if (probe || this.failures >= this.options.failureThreshold) {
        this.current = 'open';
        this.openedAt = this.now();
      }
      throw err;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
