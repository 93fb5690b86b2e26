// Where things live inside a library folder; every path handed to clients is relative to the library.
import path from 'node:path';
import type { DerivativeFormat, DerivativeSize } from '../../src-shared/defaults';

export const CATALOG_FILE = 'catalog.db';
export const DERIVATIVES_DIR = 'derivatives';
/** Temporary files are written here and renamed into place, so a crash never leaves a partial derivative. */
export const TEMP_DIR = path.join(DERIVATIVES_DIR, '.tmp');
export const INDEX_DIR = 'index';
export const MODELS_DIR = 'models';
export const ORIGINALS_DIR = 'originals';
/** The owner's rotated log (core/logging/library-log.ts). */
export const LOGS_DIR = 'logs';

const EXTENSIONS: Record<DerivativeFormat, string> = { jpeg: 'jpg', webp: 'webp' };

/** Content-addressed: derivatives/ab/<sha256>/<size>.<ext>. */
// Joined by hand, not by path.posix.join: a sha256 is 64 hex digits, so there is nothing to normalise, and a push
// writes four of these per image (path.join's normalisation was ~5% of a sync's CPU time).
export function derivativeRelativePath(sha256: string, size: DerivativeSize, format: DerivativeFormat): string {
  return `${derivativeDirectory(sha256)}/${size}.${EXTENSIONS[format]}`;
}

export function derivativeDirectory(sha256: string): string {
  return `${DERIVATIVES_DIR}/${sha256.slice(0, 2)}/${sha256}`;
}
