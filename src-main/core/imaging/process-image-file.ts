// What a decode worker does with one file: read, sniff, hash, ask whether the content is new, analyse.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ImageFormat } from '../../../src-shared/model';
import { SporeprintError } from '../errors';
import { analyzeImage, type ImageAnalysis } from './analyze-image';
import { sniffImageFormat } from './sniff-format';

export interface DecodeTask {
  path: string;
  /** The content is catalogued but its derivative files are missing: analyse again (writing only what is missing). */
  rebuildDerivatives?: boolean;
}

/** The question a worker asks the main thread once it knows the content hash. */
export interface KnownContentQuestion {
  sha256: string;
}
export interface KnownContentAnswer {
  known: boolean;
}

export interface DecodeResult {
  sha256: string;
  format: ImageFormat;
  size: number;
  /** null when the content was already catalogued (a copy): no image work was done. */
  analysis: ImageAnalysis | null;
}

export async function processImageFile(
  task: DecodeTask,
  libraryDir: string,
  tempDir: string | undefined,
  ask: (q: KnownContentQuestion) => Promise<unknown>,
): Promise<DecodeResult> {
  let bytes: Buffer;
  try {
    // Synchronous on the worker thread, like the derivative writes (see writeDerivatives).
    bytes = readFileSync(task.path);
  } catch (err) {
    throw new SporeprintError('UNREADABLE', (err as Error).message, task.path);
  }
  if (bytes.length === 0) throw new SporeprintError('EMPTY_FILE', 'file is empty', task.path);
  const format = sniffImageFormat(bytes.subarray(0, 32));
  if (!format) throw new SporeprintError('UNSUPPORTED_FORMAT', 'not a JPEG, PNG, WebP, GIF, TIFF, AVIF or HEIF image', task.path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const answer: KnownContentAnswer = task.rebuildDerivatives ? { known: false } : ((await ask({ sha256 })) as KnownContentAnswer);
  if (answer.known) return { sha256, format, size: bytes.length, analysis: null };
  return { sha256, format, size: bytes.length, analysis: await analyzeImage(bytes, sha256, libraryDir, task.path, tempDir) };
}
