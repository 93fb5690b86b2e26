// images.list per page at depth, in-process: keyset pages (the product) against the previous path, count(*) over
// image x label plus ORDER BY ... LIMIT ... OFFSET for every page (the baseline), on one catalogue of N rows.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';
import { openCatalog, type Db } from '../../../src-main/core/catalog/database';
import { listImages } from '../../../src-main/core/catalog/image-pages';
import { SUMMARY_COLUMNS } from '../../../src-main/core/catalog/image-queries';
import { shaFor } from '../../fixtures/catalog-rows';

const PAGE = 200;
const TAXA = ['Amanita muscaria', 'Boletus edulis', 'Trametes versicolor', 'Cantharellus cibarius', 'Russula emetica'];

/** A catalogue of `rows` images, four in five labelled, written in one transaction (~10 s per million). */
export function buildListCatalogue(dir: string, rows: number): Db {
  const db = openCatalog(path.join(dir, 'catalog.db'));
  const image = db.prepare(
    `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution,
       quality_sharpness, quality_noise, quality_colour, is_hq, license)
     VALUES (?, '0000000000000000', 'jpeg', ?, ?, ?, ?, 0.5, 0.5, 0.5, 0.5, ?, 'CC-BY')`,
  );
  const location = db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, 1000, 0)`);
  const label = db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, ?, 'species', ?)`);
  db.transaction(() => {
    for (let n = 0; n < rows; n++) {
      const id = Number(
        image.run(
          shaFor(`list-${n}`),
          640 + (n % 3000),
          480 + (n % 2000),
          50_000 + ((n * 7919) % 5_000_000),
          (n * 37) % 100,
          n % 5 === 0 ? 1 : 0,
        ).lastInsertRowid,
      );
      location.run(id, `/bench/${n}.jpg`);
      if (n % 5 !== 4) label.run(id, TAXA[n % TAXA.length], n % 7 === 0 ? 'human_verified' : 'source_claimed');
    }
  })();
  // One transaction leaves the whole catalogue in the WAL (700 MB at 1M); a library at rest has been checkpointed,
  // so the pages are measured on the database file as a user's would be.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}

/** The catalogue in `dir`: reused when it holds `rows` images (a kept one), else built there. */
export function openListCatalogue(dir: string, rows: number): Db {
  const file = path.join(dir, 'catalog.db');
  if (existsSync(file)) {
    const db = openCatalog(file);
    const held = db.prepare('SELECT count(*) FROM image').pluck().get();
    if (held === rows) return db;
    db.close();
    throw new Error(`${file} holds ${String(held)} images, not ${rows}: remove it or pass another --keep`);
  }
  mkdirSync(dir, { recursive: true });
  return buildListCatalogue(dir, rows);
}

const OLD_SORT = {
  created: 'i.id',
  quality: 'i.quality_score',
  taxon: 'l.taxon',
  size: 'i.file_size',
  resolution: 'max(i.width, i.height)',
};

/** The previous images.list (before issue 19): count(*) over the join and an OFFSET page, both on every call. */
function oldListPage(db: Db, q: ImageQuery & { sort: keyof typeof OLD_SORT }, offset: number): number[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.labelState) {
    where.push('l.state = @labelState');
    params.labelState = q.labelState;
  }
  const from = `FROM image i LEFT JOIN label l ON l.image_id = i.id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  db.prepare(`SELECT count(*) ${from}`).pluck().get(params);
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} ${from} ORDER BY ${OLD_SORT[q.sort]} ${dir}, i.id ${dir} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: PAGE, offset }) as { id: number }[];
  return rows.map((r) => r.id);
}

export interface ListPagesResult {
  query: string;
  depths: number;
  keysetMsPerPage: number;
  offsetMsPerPage: number;
  /** Scrolling the whole listing page by page: keyset pages x ms, against the sum of OFFSET pages (quadratic). */
  scrollAllKeysetS: number;
  scrollAllOffsetS: number;
}

/**
 * For pages at `depths` evenly spaced depths: the keyset page after the row just before (its cursor found
 * untimed), then the old OFFSET page there; both return the same ids (checked).
 */
export function measureListPages(db: Db, label: string, query: ImageQuery, depths = 10): ListPagesResult {
  const q = imageQuerySchema.parse({ ...query, limit: PAGE });
  const total = listImages(db, q).total;
  let keysetMs = 0;
  let offsetMs = 0;
  const offsetSamples: { offset: number; ms: number }[] = [];
  for (let d = 1; d <= depths; d++) {
    const offset = Math.floor(((total - PAGE) * d) / depths / PAGE) * PAGE;
    // The cursor of the row before the page (none for the first page: a small library rounds early depths to 0).
    const cursor = offset > 0 ? listImages(db, { ...q, offset: offset - 1, limit: 1 }).next : undefined;
    let t = performance.now();
    const page = listImages(db, cursor ? { ...q, after: cursor } : { ...q, offset });
    keysetMs += performance.now() - t;
    t = performance.now();
    const old = oldListPage(db, q as ImageQuery & { sort: keyof typeof OLD_SORT }, offset);
    const ms = performance.now() - t;
    offsetMs += ms;
    offsetSamples.push({ offset, ms });
    const ids = page.items.map((i) => i.id);
    if (ids.join() !== old.join()) throw new Error(`${label}: keyset page at ${offset} differs from the OFFSET page`);
  }
  const pages = Math.ceil(total / PAGE);
  // OFFSET cost grows linearly with depth: fit ms = a + b * offset through the samples to sum over every page.
  const n = offsetSamples.length;
  const mx = offsetSamples.reduce((s, p) => s + p.offset, 0) / n;
  const my = offsetSamples.reduce((s, p) => s + p.ms, 0) / n;
  const b =
    offsetSamples.reduce((s, p) => s + (p.offset - mx) * (p.ms - my), 0) /
    Math.max(
      1e-9,
      offsetSamples.reduce((s, p) => s + (p.offset - mx) ** 2, 0),
    );
  const a = my - b * mx;
  const scrollAllOffsetMs = pages * a + b * PAGE * ((pages * (pages - 1)) / 2);
  return {
    query: label,
    depths,
    keysetMsPerPage: +(keysetMs / depths).toFixed(2),
    offsetMsPerPage: +(offsetMs / depths).toFixed(2),
    scrollAllKeysetS: +((pages * keysetMs) / depths / 1000).toFixed(1),
    scrollAllOffsetS: +(scrollAllOffsetMs / 1000).toFixed(1),
  };
}
