// Retries with exponential backoff and full jitter, for calls to services that may blip.

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether an error is worth another attempt (a 4xx is not; a timeout or 5xx is). */
  shouldRetry: (err: unknown) => boolean;
  signal?: AbortSignal;
  random?: () => number;
}

/** The delay before retry number `attempt` (0-based): uniform in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round((options.random ?? Math.random)() * ceiling);
}

export async function withRetry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (attempt >= options.retries || !options.shouldRetry(err) || options.signal?.aborted) throw err;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, options)));
    }
  }
}
