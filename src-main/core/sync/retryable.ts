// Whether a failed sync step may be retried whole: the connection was lost or refused, or the server asked to retry.
import { SporeprintError } from '../errors';
import { ConnectError } from './pg-connection';

// SQLSTATEs of a lost or refused connection: 08000-08006 (connection exception; not 08P01, a protocol bug), 57P01-03 (admin shutdown,
// crash shutdown, cannot connect now), 40001/40P01 (serialisation failure, deadlock: safe to retry whole).
const RETRYABLE_SQLSTATE = /^(0800[0-6]|57P0[123]|40001|40P01)$/;
const RETRYABLE_NODE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isRetryable(err: unknown): boolean {
  if (err instanceof ConnectError) return err.retryable;
  if (err instanceof SporeprintError) return false;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NODE.has(code))) return true;
  return /Connection terminated|connection .*(closed|ended)|Client was closed|not queryable/i.test(err.message);
}
