// A polite HTTP client for one remote service: User-Agent, rate limit, idle timeout, retries with
// exponential backoff and jitter on 429/5xx (honouring Retry-After), and a circuit breaker.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { SporeprintError } from '../errors';
import { CircuitBreaker } from './circuit-breaker';
import { readCappedText, ReplyTooLargeError, REPLY_LIMITS } from './reply-limits';
import { RateLimiter } from './rate-limiter';
import { sleep } from './sleep';

export interface HttpClientOptions {
  /** Service name used in errors ("iNaturalist"). */
  name: string;
  userAgent: string;
  /** Longest wait for the response to start or for the next chunk of its body. */
  idleTimeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  minIntervalMs: number;
  breakerThreshold: number;
  breakerCoolDownMs: number;
  /** Bytes above which a download is refused (the ingest size limit). */
  maxBytes?: number;
  /** Bytes above which a JSON answer is refused (default REPLY_LIMITS.jsonBytes). */
  maxJsonBytes?: number;
  /** Longest time one attempt may take, body included, however steadily data arrives (default REPLY_LIMITS.requestTotalMs). */
  totalTimeoutMs?: number;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
  contentType: string | null;
}

/** A failed attempt; `retryable` says whether trying again may help. */
export class HttpAttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export class HttpClient {
  readonly breaker: CircuitBreaker;
  private readonly limiter: RateLimiter;

  constructor(readonly options: HttpClientOptions) {
    this.breaker = new CircuitBreaker(options.name, {
      failureThreshold: options.breakerThreshold,
      coolDownMs: options.breakerCoolDownMs,
      errorCode: 'SOURCE_FAILED',
    });
    this.limiter = new RateLimiter(options.minIntervalMs);
  }

  /** GETs a JSON document. */
  getJson(url: string, signal: AbortSignal): Promise<unknown> {
    return this.withRetries(url, signal, async (response, body) => {
      const limit = this.options.maxJsonBytes ?? REPLY_LIMITS.jsonBytes;
      let text: string;
      try {
        text = await readCappedText(body, limit, 'JSON answer', response.headers.get('content-length'));
      } catch (err) {
        // Asking again would only bring the same oversized answer.
        if (err instanceof ReplyTooLargeError) throw new HttpAttemptError(err.message, false);
        throw err;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // A proxy's HTML error page or a cut-off body: worth another try.
        throw new HttpAttemptError(`response is not JSON (${response.headers.get('content-type') ?? 'no content type'})`, true);
      }
    });
  }

  /**
   * Downloads to `destination` through a `.part` file renamed into place only when complete: a body shorter
   * than its Content-Length (or a dropped connection) is retried and never left where ingest would see it.
   */
  download(url: string, destination: string, signal: AbortSignal): Promise<DownloadResult> {
    const partial = `${destination}.part`;
    return this.withRetries(url, signal, async (response, body) => {
      const expected = response.headers.get('content-length');
      const expectedBytes = expected !== null && /^\d+$/.test(expected) ? Number(expected) : null;
      const { maxBytes } = this.options;
      if (maxBytes !== undefined && expectedBytes !== null && expectedBytes > maxBytes)
        throw new HttpAttemptError(`file is ${expectedBytes} bytes, over the ${maxBytes} byte limit`, false);
      const hash = createHash('sha256');
      let bytes = 0;
      const out = createWriteStream(partial);
      // A disk error (full, permissions) must fail this download, not crash the process as an unhandled event.
      const diskFailure = (err: Error) => new HttpAttemptError(`cannot write ${partial} (${err.message})`, false);
      let diskError: HttpAttemptError | null = null;
      out.on('error', (err) => (diskError = diskFailure(err)));
      try {
        for await (const chunk of body) {
          bytes += chunk.length;
          if (maxBytes !== undefined && bytes > maxBytes) throw new HttpAttemptError(`file is over the ${maxBytes} byte limit`, false);
          hash.update(chunk);
          if (diskError) throw diskError;
          if (!out.write(chunk))
            await once(out, 'drain').catch((err: Error) => {
              throw diskFailure(err);
            });
        }
        if (diskError) throw diskError;
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(diskFailure(err)) : resolve())));
        if (expectedBytes !== null && bytes !== expectedBytes)
          throw new HttpAttemptError(`truncated download: got ${bytes} of ${expectedBytes} bytes`, true);
        if (bytes === 0) throw new HttpAttemptError('empty download', true);
        await rename(partial, destination).catch((err: Error) => {
          throw diskFailure(err);
        });
        return { bytes, sha256: hash.digest('hex'), contentType: response.headers.get('content-type') };
      } catch (err) {
        out.destroy();
        await rm(partial, { force: true });
        throw err;
      }
    });
  }

  private async withRetries<T>(
    url: string,
    signal: AbortSignal,
    read: (response: Response, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T> {
    this.breaker.assertClosed();
    let lastError: HttpAttemptError | null = null;
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) await sleep(this.backoffMs(attempt, lastError?.retryAfterMs ?? null), signal);
      await this.limiter.acquire(signal);
      try {
        const value = await this.attempt(url, signal, read);
        this.breaker.recordSuccess();
        return value;
      } catch (err) {
        if (signal.aborted || !(err instanceof HttpAttemptError)) this.breaker.release();
        if (signal.aborted) throw new SporeprintError('CANCELLED', 'job was cancelled');
        if (!(err instanceof HttpAttemptError)) throw err;
        lastError = err;
        if (!err.retryable) {
          this.breaker.release();
          // A missing object (404) or a refused file says nothing about the service's health.
          throw new SporeprintError('SOURCE_FAILED', `${this.options.name}: ${err.message}`, url);
        }
      }
    }
    this.breaker.recordFailure();
    throw new SporeprintError(
      'SOURCE_FAILED',
      `${this.options.name}: ${lastError?.message ?? 'failed'} (after ${this.options.maxRetries + 1} attempts)`,
      url,
    );
  }

  /** Exponential backoff with full jitter in its upper half; Retry-After wins when the server sends one. */
  private backoffMs(attempt: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return Math.min(retryAfterMs, Math.max(this.options.backoffMaxMs, 120_000));
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private async attempt<T>(
    url: string,
    signal: AbortSignal,
    read: (response: Response, body: AsyncIterable<Uint8Array>) => Promise<T>,
  ): Promise<T> {
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), this.options.idleTimeoutMs);
    };
    const totalMs = this.options.totalTimeoutMs ?? REPLY_LIMITS.requestTotalMs;
    const total = AbortSignal.timeout(totalMs);
    const combined = AbortSignal.any([signal, idle.signal, total]);
    arm();
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { 'User-Agent': this.options.userAgent, Accept: '*/*' },
          signal: combined,
          redirect: 'follow',
        });
      } catch (err) {
        throw this.networkError(err, idle.signal, total, totalMs);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        const retryable = response.status === 429 || response.status >= 500;
        throw new HttpAttemptError(
          `HTTP ${response.status} ${response.statusText}`.trim(),
          retryable,
          response.status,
          parseRetryAfter(response.headers.get('retry-after')),
        );
      }
      if (!response.body) throw new HttpAttemptError('response has no body', true);
      const reader = response.body.getReader();
      const body = (async function* (): AsyncIterable<Uint8Array> {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            // The total limit also stops a body that keeps trickling (each chunk re-arms the idle timer, not this
            // one); a body cut short by it is never taken for a complete one.
            if (total.aborted) throw new HttpAttemptError(`took longer than ${totalMs} ms in total (limit)`, true);
            if (done) return;
            arm();
            yield value;
          }
        } finally {
          // Stops an abandoned body (size limit, error) from holding the connection open.
          await reader.cancel().catch(() => undefined);
        }
      })();
      try {
        return await read(response, body);
      } catch (err) {
        if (err instanceof HttpAttemptError) throw err;
        throw this.networkError(err, idle.signal, total, totalMs);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private networkError(err: unknown, idle: AbortSignal, total: AbortSignal, totalMs: number): HttpAttemptError | SporeprintError {
    if (err instanceof SporeprintError) return err;
    if (total.aborted) return new HttpAttemptError(`took longer than ${totalMs} ms in total (limit)`, true);
    if (idle.aborted) return new HttpAttemptError(`no data for ${this.options.idleTimeoutMs} ms (timeout)`, true);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return new HttpAttemptError(`${err instanceof Error ? err.message : String(err)}${cause}`, true);
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
