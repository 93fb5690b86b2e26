// Where an image's bytes are: its known file paths (the `location` table), oldest first, as search hits, cluster
// members and export read them.
import type { Db } from './database';
import { parseTexts } from './parse-rows';

/** A reader of the paths of one image after another, prepared once for a listing. */
export function imagePathReader(db: Db): (imageId: number) => string[] {
  const paths = db.prepare(`SELECT path FROM location WHERE image_id = ? ORDER BY id`).pluck();
  return (imageId) => parseTexts(paths.all(imageId), 'image paths');
}
