// The HTTP status of every domain error: user errors are 4xx with their sentence, 500 only for real faults.
// Every transport over HTTP uses this one map; a new error code does not compile until it has a status here.
import type { ErrorCode } from '../../src-shared/model';
import { SporeprintError } from '../core/errors';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  // The request itself is wrong.
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  // A file the caller named (a query image, a vocabulary, a model folder) cannot be used as it is.
  UNSUPPORTED_FORMAT: 422,
  FILE_TOO_LARGE: 422,
  EMPTY_FILE: 422,
  TOO_SMALL: 422,
  TOO_MANY_PIXELS: 422,
  CORRUPT_IMAGE: 422,
  UNREADABLE: 422,
  MODEL_INVALID: 422,
  // The request is fine but the library's state does not allow it (yet): the sentence says what to do.
  INVALID_TRANSITION: 409,
  MODEL_MISSING: 409,
  // Export errors answered to a call are about its destination (exists and is not empty, is a file).
  EXPORT_FAILED: 409,
  SCHEMA_MISSING: 409,
  CANCELLED: 409,
  LIBRARY_IN_USE: 409,
  LIBRARY_READ_ONLY: 409,
  // Something this server depends on is not answering.
  PROVIDER_UNAVAILABLE: 502,
  SYNC_FAILED: 502,
  SOURCE_FAILED: 502,
  LIBRARY_STOPPED: 503,
  // Real faults (an installation missing a native module is one: `doctor` names the fix).
  NATIVE_MODULE_MISSING: 500,
  INDEX_ERROR: 500,
  INTERNAL: 500,
  // The library's disk is full: the server is fine, the storage is not (507 Insufficient Storage).
  DISK_FULL: 507,
  // A file system call around a file failed (permission, I/O error, vanished): worth another try.
  IO_FAILED: 503,
  EXTREME_ASPECT_RATIO: 422,
};

/** A refusal decided by the HTTP glue itself (malformed request, body too large) with its own status. */
export class HttpRefusal extends SporeprintError {
  constructor(
    readonly status: 400 | 405 | 413,
    reason: string,
  ) {
    super('INVALID_INPUT', reason);
  }
}

export function httpStatusOf(err: unknown): number {
  if (err instanceof HttpRefusal) return err.status;
  if (err instanceof SporeprintError) return HTTP_STATUS[err.code];
  return 500;
}
