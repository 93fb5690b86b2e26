// Turns what a user names (image ids, catalogued file paths, folders) into the image ids a licence change applies to.
import path from 'node:path';
import type { Db } from '../catalog/database';
import { parseIds, parseOptionalId } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';

export interface LicenseTargets {
  imageIds?: number[] | undefined;
  paths?: string[] | undefined;
}

/**
 * A path names the image catalogued at it, or every image catalogued under it when it is a folder. A path that
 * names nothing catalogued is an error naming it, so a typo never passes as "0 images changed".
 */
export function resolveLicenseTargets(db: Db, targets: LicenseTargets): number[] {
  const ids = new Set<number>();
  const exists = db.prepare(`SELECT 1 FROM image WHERE id = ?`).pluck();
  for (const id of targets.imageIds ?? []) {
    if (!exists.get(id)) throw new SporeprintError('NOT_FOUND', `image ${id} does not exist`);
    ids.add(id);
  }
  const byFile = db.prepare(`SELECT image_id FROM location WHERE path = ?`).pluck();
  // substr instead of LIKE/GLOB: folder names may hold %, _, [ or * and must match literally.
  const underFolder = db.prepare(`SELECT DISTINCT image_id FROM location WHERE substr(path, 1, length(@prefix)) = @prefix`).pluck();
  for (const raw of targets.paths ?? []) {
    const absolute = path.resolve(raw);
    const file = parseOptionalId(byFile.get(absolute), 'image at path');
    if (file !== undefined) {
      ids.add(file);
      continue;
    }
    const prefix = absolute.endsWith(path.sep) ? absolute : absolute + path.sep;
    const under = parseIds(underFolder.all({ prefix }), 'images under a folder');
    if (under.length === 0) throw new SporeprintError('NOT_FOUND', 'no catalogued image at or under this path (ingest it first)', absolute);
    for (const id of under) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}
