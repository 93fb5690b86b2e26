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

  it('lets exactly one trial through while half-open, and a released trial frees the slot', async () => {
    let now = 0;
    const breaker = new CircuitBreaker('Commons', { failureThreshold: 1, coolDownMs: 100, errorCode: 'SOURCE_FAILED', now: () => now });
    await expect(breaker.run(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    now = 150;
    breaker.assertClosed(); // the trial
    expect(() => breaker.assertClosed()).toThrow(expect.objectContaining({ code: 'SOURCE_FAILED' }));
    breaker.release(); // e.g. the trial asked for one missing file: no verdict on the service
    expect(() => breaker.assertClosed()).not.toThrow();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });
});
