// The circuit breaker: opens after the threshold, fails fast while open, lets one trial through after the
// cool-down, and closes again on success (re-opens at once on a failed trial).
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../../src-main/core/net/circuit-breaker';

describe('CircuitBreaker', () => {
  it('opens, half-opens after the cool-down, and closes on a successful trial', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('GBIF', { failureThreshold: 2, coolDownMs: 1000, now: () => now });
    const fail = () => breaker.run(() => Promise.reject(new Error('HTTP 503')));
    await expect(fail()).rejects.toThrow('HTTP 503');
    expect(breaker.state).toBe('closed');
    await expect(fail()).rejects.toThrow('HTTP 503');
    expect(breaker.state).toBe('open');
    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toThrow(/GBIF is paused after 2 consecutive failures/);
    expect(called).toBe(false);
    now = 1000;
    expect(breaker.state).toBe('half-open');
    await expect(fail()).rejects.toThrow('HTTP 503');
    expect(breaker.state).toBe('open');
    now = 2000;
    expect(await breaker.run(async () => 'ok')).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('does not count cancellation as the service failing', async () => {
    const breaker = new CircuitBreaker('iNaturalist', { failureThreshold: 1, coolDownMs: 1000 });
    await expect(
      breaker.run(
        () => Promise.reject(new Error('aborted')),
        () => true,
      ),
    ).rejects.toThrow('aborted');
    expect(breaker.state).toBe('closed');
  });
});
