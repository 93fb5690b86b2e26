// Read queries over images: the summary columns every listing shares and the full detail of one image
// (the grid's pages are in image-pages.ts).
import * as z from 'zod';
import { IMAGE_FORMATS, LABEL_STATES, TAXON_RANKS, type ImageDetail, type ImageSummary } from '../../../src-shared/model';
import { DERIVATIVE_FORMATS, DERIVATIVE_NAMES } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import { derivativeRelativePath } from '../library-paths';
import type { Db } from './database';
import { parseOptionalId, parseRow, parseRows, sqliteBoolean } from './parse-rows';
import { flag, integer, nullable, oneOf, real, text, type RawRow } from './row-columns';

export const summaryRowSchema = z.object({
  id: z.number().int(),
  sha256: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.enum(IMAGE_FORMATS),
  file_size: z.number().int(),
  quality_score: z.number(),
  is_hq: sqliteBoolean,
  license: z.string().nullable(),
  taxon: z.string().nullable(),
  state: z.enum(LABEL_STATES).nullable(),
  cluster_id: z.number().int().nullable(),
  primary_path: z.string().nullable(),
});
export type SummaryRow = z.infer<typeof summaryRowSchema>;

/** Columns every summary query selects; `image i` and `label l` are joined by the caller. SUMMARY_RAW_COLUMNS lists them in order. */
export const SUMMARY_COLUMNS = `i.id, i.sha256, i.width, i.height, i.format, i.file_size, i.quality_score, i.is_hq, i.license,
  l.taxon, l.state, (SELECT cluster_id FROM cluster_member cm WHERE cm.image_id = i.id) AS cluster_id,
  (SELECT path FROM location WHERE image_id = i.id ORDER BY id LIMIT 1) AS primary_path`;

/** SUMMARY_COLUMNS in SELECT order with their types, for pages read with `.raw()` (a typeof per value, not zod). */
export const SUMMARY_RAW_COLUMNS = [
  ['id', integer],
  ['sha256', text],
  ['width', integer],
  ['height', integer],
  ['format', oneOf(IMAGE_FORMATS)],
  ['file_size', integer],
  ['quality_score', real],
  ['is_hq', flag],
  ['license', nullable(text)],
  ['taxon', nullable(text)],
  ['state', nullable(oneOf(LABEL_STATES))],
  ['cluster_id', nullable(integer)],
  ['primary_path', nullable(text)],
] as const;
export type SummaryRawRow = RawRow<typeof SUMMARY_RAW_COLUMNS>;

/** A `.raw()` summary row (checked by a rawRowChecker over SUMMARY_RAW_COLUMNS, maybe with more columns after). */
export function rawToImageSummary(r: readonly [...SummaryRawRow, ...unknown[]]): ImageSummary {
  const [id, sha256, width, height, format, file_size, quality_score, is_hq, license, taxon, state, cluster_id, primary_path] = r;
  return toImageSummary({
    id,
    sha256,
    width,
    height,
    format,
    file_size,
    quality_score,
    is_hq,
    license,
    taxon,
    state,
    cluster_id,
    primary_path,
  });
}

export function toImageSummary(row: SummaryRow): ImageSummary {
  return {
    id: row.id,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    format: row.format,
    fileSize: row.file_size,
    qualityScore: row.quality_score,
    isHq: row.is_hq === 1,
    license: row.license,
    taxon: row.taxon,
    labelState: row.state,
    clusterId: row.cluster_id,
    thumbPath: derivativeRelativePath(row.sha256, 'thumb', 'jpeg'),
    smallPath: derivativeRelativePath(row.sha256, 'small', 'jpeg'),
    mediumPath: derivativeRelativePath(row.sha256, 'medium', 'jpeg'),
    primaryPath: row.primary_path ?? '',
  };
}

const detailRowSchema = summaryRowSchema.extend({
  perceptual_hash: z.string(),
  quality_resolution: z.number(),
  quality_sharpness: z.number(),
  quality_noise: z.number(),
  quality_colour: z.number(),
  quality_artefacts: z.number(),
  attribution: z.string().nullable(),
  source_url: z.string().nullable(),
  observation_group: z.string().nullable(),
  captured_at: z.string().nullable(),
  camera_make: z.string().nullable(),
  camera_model: z.string().nullable(),
  gps_lat: z.number().nullable(),
  gps_lon: z.number().nullable(),
  created_at: z.string(),
  rank: z.enum(TAXON_RANKS).nullable(),
  author: z.string().nullable(),
  note: z.string().nullable(),
  evidence_json: z.string().nullable(),
  label_updated_at: z.string().nullable(),
});

const locationRowSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
  firstSeenAt: z.string(),
});

/** Everything about one image except its label history and suggestions (the labels domain adds those). */
export function getImageDetail(db: Db, id: number): Omit<ImageDetail, 'history' | 'suggestions'> {
  const row = parseRow(
    detailRowSchema,
    db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS}, i.perceptual_hash, i.quality_resolution, i.quality_sharpness, i.quality_noise, i.quality_colour, i.quality_artefacts,
        i.attribution, i.source_url, i.observation_group, i.captured_at, i.camera_make, i.camera_model, i.gps_lat, i.gps_lon,
        i.created_at, l.rank, l.author, l.note, l.evidence_json, l.updated_at AS label_updated_at
       FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id = ?`,
      )
      .get(id),
    'image detail',
  );
  if (!row) throw new SporeprintError('NOT_FOUND', `no image with id ${id}`);
  const locations: ImageDetail['locations'] = parseRows(
    locationRowSchema,
    db
      .prepare(`SELECT id, path, size, mtime_ms AS mtimeMs, first_seen_at AS firstSeenAt FROM location WHERE image_id = ? ORDER BY id`)
      .all(id),
    'location',
  );
  const derivatives: Record<string, string> = {};
  for (const size of DERIVATIVE_NAMES)
    for (const format of DERIVATIVE_FORMATS) derivatives[`${size}.${format}`] = derivativeRelativePath(row.sha256, size, format);
  return {
    ...toImageSummary(row),
    phash: row.perceptual_hash,
    quality: {
      resolution: row.quality_resolution,
      sharpness: row.quality_sharpness,
      noise: row.quality_noise,
      colour: row.quality_colour,
      artefacts: row.quality_artefacts,
    },
    attribution: row.attribution,
    sourceUrl: row.source_url,
    observationGroup: row.observation_group,
    exif: {
      capturedAt: row.captured_at,
      cameraMake: row.camera_make,
      cameraModel: row.camera_model,
      gpsLat: row.gps_lat,
      gpsLon: row.gps_lon,
    },
    locations,
    label:
      row.taxon && row.state
        ? {
            taxon: row.taxon,
            rank: row.rank ?? 'species',
            state: row.state,
            author: row.author,
            note: row.note,
            updatedAt: row.label_updated_at ?? row.created_at,
            evidence: row.evidence_json ? JSON.parse(row.evidence_json) : null,
          }
        : null,
    derivatives,
    createdAt: row.created_at,
  };
}

/** An image id from an id, a catalogued path, or a sha256 (or unique prefix of at least 8 hex digits). */
export function resolveImageRef(db: Db, ref: string, cwd = process.cwd()): number {
  if (/^\d+$/.test(ref)) {
    const id = parseOptionalId(db.prepare(`SELECT id FROM image WHERE id = ?`).pluck().get(Number(ref)), 'image id');
    if (id !== undefined) return id;
  }
  const byPath = parseOptionalId(
    db.prepare(`SELECT image_id FROM location WHERE path = ? OR path = ?`).pluck().get(ref, pathResolve(cwd, ref)),
    'location image id',
  );
  if (byPath !== undefined) return byPath;
  if (/^[0-9a-f]{8,64}$/i.test(ref)) {
    const ids = parseRows(
      z.number().int(),
      db.prepare(`SELECT id FROM image WHERE sha256 LIKE ? LIMIT 2`).pluck().all(`${ref.toLowerCase()}%`),
      'image id',
    );
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1) throw new SporeprintError('INVALID_INPUT', `sha256 prefix ${ref} matches several images; give more digits`);
  }
  throw new SporeprintError('NOT_FOUND', `no image matches "${ref}" (give an image id, a catalogued file path or a sha256)`);
}

function pathResolve(cwd: string, p: string): string {
  return p.startsWith('/') ? p : `${cwd.replace(/\/$/, '')}/${p}`;
}
