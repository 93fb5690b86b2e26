// Tells what is wrong with a file (permanent until the file changes) from what went wrong around it (a full
// disk, a permission, a vanished file, a crashed worker: worth another try), so that a passing fault never
// excludes a photo for good.
import type { ErrorCode } from '../../../src-shared/model';
import { SporeprintError } from '../errors';

/** Verdicts on the file's own bytes or size: recorded as a rejection, not retried until the file changes. */
const PERMANENT_FILE_FAULTS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'TOO_SMALL',
  'TOO_MANY_PIXELS',
  'CORRUPT_IMAGE',
  'EXTREME_ASPECT_RATIO',
  // A malformed sidecar: what is wrong is its text.
  'INVALID_INPUT',
]);

export function isPermanentFileFault(code: ErrorCode): boolean {
  return PERMANENT_FILE_FAULTS.has(code);
}

const DISK_FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** The errno (or SQLite) code of a system error, when it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDiskFull(err: unknown): boolean {
  if (err instanceof SporeprintError) return err.code === 'DISK_FULL';
  const errno = errnoOf(err);
  return errno !== undefined && DISK_FULL_ERRNOS.has(errno);
}

/**
 * A failed file system call as a domain error: DISK_FULL for a full disk or quota, IO_FAILED for anything else
 * (EACCES, EIO, ENOENT, EMFILE ...). `doing` says what was attempted ("write a derivative"), `file` which file.
 */
export function ioFault(err: unknown, file: string, doing: string): SporeprintError {
  if (err instanceof SporeprintError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isDiskFull(err)) return new SporeprintError('DISK_FULL', `no space left to ${doing} (${message})`, file);
  return new SporeprintError('IO_FAILED', `cannot ${doing} (${message})`, file);
}
