// Re-scores images that an older version of the quality formulas scored (QUALITY_VERSION), so a library upgraded
// to new formulas ranks old and new images alike. Runs inside the next ingest or `sporeprint rescore-quality`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HQ_MIN_LONG_EDGE, HQ_MIN_SCORE, QUALITY_VERSION } from '../../../src-shared/defaults';
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { imagePathReader } from '../catalog/location-repository';
import { parseCount, parseRows } from '../catalog/parse-rows';
import { throwIfCancelled } from '../jobs/job-runner';
import { derivativeRelativePath } from '../library-paths';
import { decodeForDerivatives } from './analyze-image';
import { renderDerivativeLadder } from './derivatives';
import { scoreQualityOfLadder } from './score-quality';

export interface RescoreResult {
  /** Images re-scored from their original file. */
  fromOriginal: number;
  /** Originals gone or changed: re-scored from the large derivative (compression artefacts of the original unseen). */
  fromDerivative: number;
  /** Neither the original nor a derivative could be read: left at their old version (reported, not hidden). */
  skipped: number;
}

const outdatedRow = z.object({ id: z.number().int(), sha256: z.string(), width: z.number().int(), height: z.number().int() });
type OutdatedRow = z.output<typeof outdatedRow>;

export function countOutdatedQuality(db: Db): number {
  return parseCount(
    db.prepare(`SELECT count(*) FROM image WHERE quality_version < ?`).pluck().get(QUALITY_VERSION),
    'outdated quality count',
  );
}

export async function rescoreQuality(
  db: Db,
  libraryDir: string,
  options: { signal?: AbortSignal; progress?: (done: number, total: number) => void } = {},
): Promise<RescoreResult> {
  const outdated = parseRows(
    outdatedRow,
    db.prepare(`SELECT id, sha256, width, height FROM image WHERE quality_version < ? ORDER BY id`).all(QUALITY_VERSION),
    'image with an outdated quality score',
  );
  const locations = imagePathReader(db);
  const update = db.prepare(`
    UPDATE image SET quality_score = @score, quality_resolution = @resolution, quality_sharpness = @sharpness,
      quality_noise = @noise, quality_colour = @colour, quality_artefacts = @artefacts, quality_version = @version,
      is_hq = @isHq, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
    WHERE id = @id`);
  const result: RescoreResult = { fromOriginal: 0, fromDerivative: 0, skipped: 0 };
  for (const [index, row] of outdated.entries()) {
    if (options.signal) throwIfCancelled(options.signal);
    options.progress?.(index, outdated.length);
    const source = readSource(row, locations(row.id), libraryDir);
    if (!source) {
      result.skipped++;
      continue;
    }
    const ladder = await renderDerivativeLadder(await decodeForDerivatives(source.bytes, source.path));
    const quality = await scoreQualityOfLadder(row.width, row.height, ladder);
    update.run({
      id: row.id,
      score: quality.score,
      ...quality.components,
      version: QUALITY_VERSION,
      isHq: Math.max(row.width, row.height) >= HQ_MIN_LONG_EDGE && quality.score >= HQ_MIN_SCORE ? 1 : 0,
    });
    if (source.original) result.fromOriginal++;
    else result.fromDerivative++;
  }
  options.progress?.(outdated.length, outdated.length);
  return result;
}

/** The first location whose bytes still hash to the image; else the large derivative; else null. */
function readSource(row: OutdatedRow, paths: string[], libraryDir: string): { bytes: Buffer; path: string; original: boolean } | null {
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const bytes = readFileSync(p);
    if (createHash('sha256').update(bytes).digest('hex') === row.sha256) return { bytes, path: p, original: true };
  }
  for (const format of ['webp', 'jpeg'] as const) {
    const derivative = path.join(libraryDir, derivativeRelativePath(row.sha256, 'large', format));
    if (existsSync(derivative)) return { bytes: readFileSync(derivative), path: derivative, original: false };
  }
  return null;
}
