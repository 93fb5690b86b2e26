// Domain errors: a code from the shared list plus the path they concern; glue turns them into words.
import type { ApiErrorPayload } from '../../src-shared/api';
import type { ErrorCode } from '../../src-shared/model';

export class SporeprintError extends Error {
  /** The message without the path, e.g. "file is empty". */
  readonly reason: string;

  constructor(
    readonly code: ErrorCode,
    reason: string,
    readonly path?: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'SporeprintError';
    this.reason = reason;
  }

  toPayload(): ApiErrorPayload {
    return {
      code: this.code,
      message: this.message,
      reason: this.reason,
      ...(this.path ? { path: this.path } : {}),
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }

  /** Rebuilds an error that crossed a thread or process boundary. */
  static fromPayload(payload: ApiErrorPayload): SporeprintError {
    return new SporeprintError(payload.code, payload.reason ?? payload.message, payload.path, payload.issues);
  }
}

/** Any thrown value as a transport payload; unexpected errors keep their message under INTERNAL. */
export function toErrorPayload(err: unknown): ApiErrorPayload {
  if (err instanceof SporeprintError) return err.toPayload();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message, reason: message };
}
