// An abortable delay: backoff and rate limiting must not hold a cancelled job open.
import { SporeprintError } from '../errors';

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SporeprintError('CANCELLED', 'job was cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SporeprintError('CANCELLED', 'job was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
