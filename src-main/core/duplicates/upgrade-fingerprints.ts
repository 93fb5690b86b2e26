// Recomputes fingerprints of an older version from the stored 320 px derivative, so old catalogues upgrade.
import sharp from 'sharp';
import path from 'node:path';
import { existsSync } from 'node:fs';
import * as z from 'zod';
import { parseRows } from '../catalog/parse-rows';
import { throwIfCancelled } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { derivativeRelativePath } from '../library-paths';
import { FINGERPRINT_VERSION, fingerprintFromImage } from '../imaging/fingerprint';

/**
 * Images whose fingerprint is missing or of an older version, in two indexed halves (migration 020) rather than one
 * OR, which SQLite answers by reading every image: this runs after every ingest. A NULL version with a fingerprint is
 * in neither half, as it was in neither side of the OR. (As one UNION ordered by id, SQLite scanned the table again.)
 */
export const OUTDATED_FINGERPRINTS_SQL = `SELECT id, sha256 FROM image WHERE id IN (
  SELECT id FROM image WHERE fingerprint_version < ? UNION ALL SELECT id FROM image WHERE fingerprint IS NULL) ORDER BY id`;

/** Returns how many fingerprints were rewritten; images whose derivative is missing keep the old one. */
export async function upgradeFingerprints(ctx: LibraryContext, signal?: AbortSignal): Promise<number> {
  const outdated = parseRows(
    z.object({ id: z.number().int(), sha256: z.string() }),
    ctx.db.prepare(OUTDATED_FINGERPRINTS_SQL).all(FINGERPRINT_VERSION),
    'image with an outdated fingerprint',
  );
  const update = ctx.db.prepare(`UPDATE image SET fingerprint = ?, fingerprint_version = ? WHERE id = ?`);
  let upgraded = 0;
  for (const { id, sha256 } of outdated) {
    if (signal) throwIfCancelled(signal);
    const file = path.join(ctx.dir, derivativeRelativePath(sha256, 'small', 'jpeg'));
    if (!existsSync(file)) continue;
    const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    // The decoded original is not at hand, so the pixel digest stays unknown (exact-pixel matching needs a re-ingest).
    const fingerprint = fingerprintFromImage({ data, width: info.width, height: info.height, channels: info.channels as 3 });
    update.run(Buffer.from(fingerprint), FINGERPRINT_VERSION, id);
    upgraded++;
  }
  return upgraded;
}
