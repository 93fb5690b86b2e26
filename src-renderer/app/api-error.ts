// The renderer's view of an API failure: the code and sentence that crossed the transport, in words.
import type { ApiErrorPayload } from '../../src-shared/api';
import type { ErrorCode } from '../../src-shared/model';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly payload: ApiErrorPayload;
  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.name = 'ApiError';
    this.code = payload.code;
    this.payload = payload;
  }
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  MODEL_MISSING: 'No embedding model is installed for this library.',
  NOT_FOUND: 'It is no longer there.',
  INVALID_INPUT: 'Check the values you entered.',
  SYNC_FAILED: 'The central database could not be reached or refused the push.',
  CANCELLED: 'It was cancelled.',
};

/** A sentence a curator can act on, for any thrown value. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const hint = HINTS[err.code];
    return hint ? `${err.message}. ${hint}` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
