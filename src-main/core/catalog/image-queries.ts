// Read queries over images: filtered, sorted pages for the grid and the full detail of one image.
import type { ApiParsedInput } from '../../../src-shared/api';
import { z } from 'zod';
import { IMAGE_FORMATS, LABEL_STATES, TAXON_RANKS, type ImageDetail, type ImageSummary } from '../../../src-shared/model';
import { DERIVATIVE_FORMATS, DERIVATIVE_NAMES } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import { derivativeRelativePath } from '../library-paths';
import type { Db } from './database';
import { parseCount, parseOptionalId, parseRow, parseRows, sqliteBoolean } from './parse-rows';

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

/** Columns every summary query selects; `image i` and `label l` are joined by the caller. */
export const SUMMARY_COLUMNS = `i.id, i.sha256, i.width, i.height, i.format, i.file_size, i.quality_score, i.is_hq, i.license,
  l.taxon, l.state, (SELECT cluster_id FROM cluster_member cm WHERE cm.image_id = i.id) AS cluster_id,
  (SELECT path FROM location WHERE image_id = i.id ORDER BY id LIMIT 1) AS primary_path`;

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
    primaryPath: row.primary_path ?? '',
  };
}

const SORT_COLUMNS = {
  created: 'i.id',
  quality: 'i.quality_score',
  taxon: 'l.taxon',
  size: 'i.file_size',
  resolution: 'max(i.width, i.height)',
} as const;

export function listImages(db: Db, q: ApiParsedInput<'images.list'>): { total: number; items: ImageSummary[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.ids) {
    where.push(`i.id IN (SELECT value FROM json_each(@ids))`);
    params.ids = JSON.stringify(q.ids);
  }
  if (q.labelState === 'unlabelled') where.push('l.image_id IS NULL');
  else if (q.labelState) {
    where.push('l.state = @labelState');
    params.labelState = q.labelState;
  }
  if (q.taxon) {
    // A genus matches its species too.
    where.push(`(l.taxon = @taxon OR l.taxon LIKE @taxonPrefix ESCAPE '\\')`);
    params.taxon = q.taxon;
    params.taxonPrefix = `${q.taxon.replace(/[\\%_]/g, (c) => `\\${c}`)} %`;
  }
  if (q.minQuality !== undefined) {
    where.push('i.quality_score >= @minQuality');
    params.minQuality = q.minQuality;
  }
  if (q.maxQuality !== undefined) {
    where.push('i.quality_score <= @maxQuality');
    params.maxQuality = q.maxQuality;
  }
  if (q.hq !== undefined) {
    where.push('i.is_hq = @hq');
    params.hq = q.hq ? 1 : 0;
  }
  if (q.format) {
    where.push('i.format = @format');
    params.format = q.format;
  }
  if (q.license) {
    where.push(`(i.license = @license OR i.license LIKE @licensePrefix)`);
    params.license = q.license;
    params.licensePrefix = `${q.license}-_._`;
  }
  if (q.hasDuplicates !== undefined)
    where.push(`${q.hasDuplicates ? '' : 'NOT '}EXISTS (SELECT 1 FROM cluster_member cm WHERE cm.image_id = i.id)`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const from = `FROM image i LEFT JOIN label l ON l.image_id = i.id ${whereSql}`;
  const total = parseCount(db.prepare(`SELECT count(*) ${from}`).pluck().get(params), 'image count');
  const order = `${SORT_COLUMNS[q.sort]} ${q.order === 'asc' ? 'ASC' : 'DESC'}, i.id ${q.order === 'asc' ? 'ASC' : 'DESC'}`;
  const rows = parseRows(
    summaryRowSchema,
    db
      .prepare(`SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }),
    'image summary',
  );
  return { total, items: rows.map(toImageSummary) };
}

const detailRowSchema = summaryRowSchema.extend({
  perceptual_hash: z.string(),
  quality_resolution: z.number(),
  quality_sharpness: z.number(),
  quality_noise: z.number(),
  quality_colour: z.number(),
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
        `SELECT ${SUMMARY_COLUMNS}, i.perceptual_hash, i.quality_resolution, i.quality_sharpness, i.quality_noise, i.quality_colour,
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
    quality: { resolution: row.quality_resolution, sharpness: row.quality_sharpness, noise: row.quality_noise, colour: row.quality_colour },
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
