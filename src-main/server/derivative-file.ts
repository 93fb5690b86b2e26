// Resolves a client-supplied derivative path to a file inside the library's derivatives/ folder, or refuses it.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { SporeprintError } from '../core/errors';
import { DERIVATIVES_DIR } from '../core/library-paths';

const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.png': 'image/png' };

/** Derivatives are content-addressed (derivatives/ab/<sha256>/<size>.<ext>); nothing else is ever served. */
const DERIVATIVE_PATTERN = /^derivatives\/[0-9a-f]{2}\/[0-9a-f]{64}\/[a-z]+\.(jpg|webp)$/;

export interface DerivativeFile {
  absolutePath: string;
  contentType: string;
  size: number;
}

/**
 * `relative` is library-relative ("derivatives/ab/<sha>/thumb.jpg"), already URL-decoded.
 * The pattern rules out traversal and odd names; the realpath check rules out symlinks leading out.
 */
export function resolveDerivativeFile(libraryDir: string, relative: string): DerivativeFile {
  const normalised = relative.replace(/^\/+/, '');
  if (!DERIVATIVE_PATTERN.test(normalised)) throw new SporeprintError('INVALID_INPUT', 'not a derivative path', relative);
  const root = realpathSync(path.join(libraryDir, DERIVATIVES_DIR));
  let absolutePath: string;
  try {
    absolutePath = realpathSync(path.join(libraryDir, normalised));
  } catch {
    throw new SporeprintError('NOT_FOUND', 'no such derivative', relative);
  }
  if (!absolutePath.startsWith(root + path.sep)) throw new SporeprintError('INVALID_INPUT', 'path leaves the derivatives folder', relative);
  const stat = statSync(absolutePath);
  if (!stat.isFile()) throw new SporeprintError('NOT_FOUND', 'not a file', relative);
  return { absolutePath, contentType: CONTENT_TYPES[path.extname(absolutePath)] ?? 'application/octet-stream', size: stat.size };
}
