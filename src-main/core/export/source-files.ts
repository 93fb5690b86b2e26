// Finds the bytes to export for an image: an original from its first still-intact location, or a derivative.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Db } from '../catalog/database';
import { imagePathReader } from '../catalog/location-repository';
import { SporeprintError } from '../errors';
import { derivativeRelativePath } from '../library-paths';
import type { WrittenFile } from './manifest';
import type { SelectedRow } from './select-images';

export type ExportSize = 'original' | 'large' | 'medium';

export interface SourceBytes extends WrittenFile {
  bytes: Buffer;
  from: string;
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

export async function readSourceBytes(db: Db, libraryDir: string, row: SelectedRow, size: ExportSize): Promise<SourceBytes> {
  if (size !== 'original') {
    const file = path.join(libraryDir, derivativeRelativePath(row.sha256, size, 'jpeg'));
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if (isMissing(err)) throw new SporeprintError('EXPORT_FAILED', `image ${row.sha256} (${row.taxon}) has no ${size} derivative`, file);
      throw err;
    }
    const meta = await sharp(bytes).metadata();
    return { bytes, from: file, sha256: sha256Of(bytes), width: meta.width ?? 0, height: meta.height ?? 0 };
  }
  const paths = imagePathReader(db)(row.imageId);
  const changed: string[] = [];
  for (const candidate of paths) {
    let bytes: Buffer;
    try {
      bytes = await readFile(candidate);
    } catch (err) {
      if (isMissing(err)) continue;
      throw err;
    }
    // A path that now holds other content is not this image any more; try the next copy.
    const sha = sha256Of(bytes);
    if (sha !== row.sha256) {
      changed.push(candidate);
      continue;
    }
    return { bytes, from: candidate, sha256: sha, width: row.width, height: row.height };
  }
  const detail =
    paths.length === 0
      ? 'no known location'
      : `none of its ${paths.length} location(s) still holds it${changed.length ? ` (${changed.length} changed since ingest)` : ''}`;
  throw new SporeprintError('EXPORT_FAILED', `image ${row.sha256} (${row.taxon}): ${detail}`, paths[0]);
}
