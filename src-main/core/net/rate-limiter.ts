// Spaces calls to one service at least `minIntervalMs` apart, in call order, across concurrent callers.
import { sleep } from './sleep';

export class RateLimiter {
  private nextAt = 0;

  constructor(private readonly minIntervalMs: number) {}

  /** Resolves when the caller may send its request; reserves the slot before waiting so callers queue fairly. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.minIntervalMs;
    if (at > now) await sleep(at - now, signal);
  }
}
