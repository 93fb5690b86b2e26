// Counts for `sporeprint stats` and the dashboard.
import * as z from 'zod';
import type { LibraryStats } from '../../../src-shared/model';
import type { Db } from './database';
import { parseCount, parseRows } from './parse-rows';

const groupRow = z.object({ k: z.string(), n: z.number().int() });
const bucketRow = z.object({ b: z.number().int().min(0).max(9), n: z.number().int() });
const taxonRow = z.object({ taxon: z.string(), images: z.number().int(), hq: z.number().int() });

export function computeLibraryStats(db: Db): LibraryStats {
  const count = (sql: string) => parseCount(db.prepare(sql).pluck().get(), 'count');
  const grouped = (sql: string): Record<string, number> =>
    Object.fromEntries(parseRows(groupRow, db.prepare(sql).all(), 'grouped count').map((r) => [r.k, r.n]));
  const histogram = new Array<number>(10).fill(0);
  const buckets = db.prepare(`SELECT min(9, CAST(quality_score / 10 AS INTEGER)) AS b, count(*) AS n FROM image GROUP BY b`).all();
  for (const row of parseRows(bucketRow, buckets, 'quality histogram')) histogram[row.b] = row.n;
  return {
    images: count(`SELECT count(*) FROM image`),
    locations: count(`SELECT count(*) FROM location`),
    rejected: grouped(`SELECT code AS k, count(*) AS n FROM rejected_file GROUP BY code ORDER BY n DESC`),
    hq: count(`SELECT count(*) FROM image WHERE is_hq = 1`),
    labelStates: {
      unlabelled: count(`SELECT count(*) FROM image WHERE id NOT IN (SELECT image_id FROM label)`),
      ...grouped(`SELECT state AS k, count(*) AS n FROM label GROUP BY state`),
    },
    formats: grouped(`SELECT format AS k, count(*) AS n FROM image GROUP BY format ORDER BY n DESC`),
    qualityHistogram: histogram,
    taxa: parseRows(
      taxonRow,
      db
        .prepare(
          `SELECT l.taxon AS taxon, count(*) AS images, sum(i.is_hq) AS hq FROM label l JOIN image i ON i.id = l.image_id
           GROUP BY l.taxon ORDER BY images DESC, taxon`,
        )
        .all(),
      'taxon count',
    ),
    duplicateClusters: count(`SELECT count(*) FROM cluster`),
    duplicateImages: count(`SELECT count(*) FROM cluster_member`),
    failed: grouped(`SELECT coalesce(errno, code) AS k, count(*) AS n FROM ingest_failure GROUP BY k ORDER BY n DESC`),
    derivativesUnrecoverable: count(`SELECT count(*) FROM derivative_gap`),
  };
}
