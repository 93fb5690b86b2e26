// The rate limiter hands out slots at least one interval apart, in call order, and honours cancellation.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../../src-main/core/net/rate-limiter';

describe('RateLimiter', () => {
  it('grants the k-th caller no sooner than k intervals after the first', async () => {
    const limiter = new RateLimiter(60);
    const started = Date.now();
    const granted: number[] = [];
    await Promise.all([0, 1, 2, 3].map((k) => limiter.acquire().then(() => (granted[k] = Date.now() - started))));
    // Timers never fire early, so these lower bounds hold however loaded the machine is.
    for (let k = 1; k < 4; k++) expect(granted[k]).toBeGreaterThanOrEqual(k * 60 - 1);
  });

  it('lets a cancelled waiter go with CANCELLED', async () => {
    const limiter = new RateLimiter(10_000);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/cancelled/);
  });
});
