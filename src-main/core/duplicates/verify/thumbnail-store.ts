// SQL for the grey renditions the content check reads, and their backfill for images ingested before they existed.
import sharp, { type OutputInfo } from 'sharp';
import path from 'node:path';
import { existsSync } from 'node:fs';
import * as z from 'zod';
import type { Db } from '../../catalog/database';
import { parseRows } from '../../catalog/parse-rows';
import { blob, integer, objectRowChecker } from '../../catalog/row-columns';
import { throwIfCancelled } from '../../jobs/job-runner';
import type { LibraryContext } from '../../library-context';
import { derivativeRelativePath } from '../../library-paths';
import {
  computeMatchThumbnail,
  encodeMatchThumbnail,
  MATCH_THUMBNAIL_VERSION,
  parseMatchThumbnail,
  type MatchThumbnail,
} from '../../imaging/match-thumbnail';

export function writeMatchThumbnail(db: Db, imageId: number, blob: Uint8Array): void {
  db.prepare(
    `INSERT INTO match_thumbnail (image_id, version, data) VALUES (?, ?, ?)
     ON CONFLICT(image_id) DO UPDATE SET version = excluded.version, data = excluded.data`,
  ).run(imageId, blob[0] ?? 0, Buffer.from(blob));
}

// Read once per candidate pair of the content check: a column check, not a zod parse.
const checkThumbnailRow = objectRowChecker('match thumbnail', { data: blob });
const checkCountsRow = objectRowChecker('match thumbnail counts', { images: integer, current: integer });

/** The stored rendition, or null when it is missing or of another version (the caller falls back). */
export function readMatchThumbnail(db: Db, imageId: number): MatchThumbnail | null {
  const row = db.prepare(`SELECT data FROM match_thumbnail WHERE image_id = ? AND version = ?`).get(imageId, MATCH_THUMBNAIL_VERSION);
  return row === undefined ? null : parseMatchThumbnail(checkThumbnailRow(row).data);
}

/**
 * Computes the rendition from the stored 320 px derivative for every image that lacks one (or has an older
 * version). Images whose derivative is missing are skipped: their pairs fall back to the DCT check. Returns the
 * number written.
 */
export async function backfillMatchThumbnails(ctx: LibraryContext, signal?: AbortSignal): Promise<number> {
  // This runs after every ingest: when every image has a current rendition (two counts from indexes, migration 020),
  // the search below, which reads every image, is skipped.
  if (everyImageHasThumbnail(ctx.db)) return 0;
  const missing = ctx.db
    .prepare(
      `SELECT i.id, i.sha256 FROM image i LEFT JOIN match_thumbnail t ON t.image_id = i.id
       WHERE t.image_id IS NULL OR t.version <> ? ORDER BY i.id`,
    )
    .all(MATCH_THUMBNAIL_VERSION);
  const images = parseRows(z.object({ id: z.number().int(), sha256: z.string() }), missing, 'image without a match thumbnail');
  let written = 0;
  for (const { id, sha256 } of images) {
    if (signal) throwIfCancelled(signal);
    const file = path.join(ctx.dir, derivativeRelativePath(sha256, 'small', 'jpeg'));
    if (!existsSync(file)) continue;
    let decoded: { data: Buffer; info: OutputInfo };
    try {
      decoded = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    } catch (err) {
      // A damaged derivative: the image keeps the DCT check until it is re-ingested; the log says which.
      ctx.log.warn(
        { err, file },
        `cannot read ${file} for the near-duplicate content check: ${err instanceof Error ? err.message : String(err)}`,
      );
      continue;
    }
    const thumb = computeMatchThumbnail({ data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels: 3 });
    writeMatchThumbnail(ctx.db, id, encodeMatchThumbnail(thumb));
    written++;
  }
  return written;
}

/** How many images there are and how many current renditions: both counted from indexes, never the image rows. */
export const THUMBNAIL_COUNTS_SQL = `SELECT (SELECT count(*) FROM image) AS images,
  (SELECT count(*) FROM match_thumbnail WHERE version = ?) AS current`;

function everyImageHasThumbnail(db: Db): boolean {
  const counts = checkCountsRow(db.prepare(THUMBNAIL_COUNTS_SQL).get(MATCH_THUMBNAIL_VERSION));
  return counts.current >= counts.images;
}
