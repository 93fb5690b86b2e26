// Where a grid page's time goes at scale, for the same pages (the 10 depths measureListPages uses): the page's SQL
// read with `.raw()` from a statement prepared once (the SQL's own work), the same SQL without the per-row
// subqueries for cluster_id and primary_path, `db.prepare` of its text, the rows read as objects and zod-parsed
// with toImageSummary (the path before issue 19 §3's clean-up), and listImages as the product runs it now.
import { performance } from 'node:perf_hooks';
import * as z from 'zod';
import { imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';
import type { Db } from '../../../src-main/core/catalog/database';
import { imagePageStatement, listImages } from '../../../src-main/core/catalog/image-pages';
import { summaryRowSchema, toImageSummary } from '../../../src-main/core/catalog/image-queries';
import { parseRows } from '../../../src-main/core/catalog/parse-rows';

const PAGE = 200;
const REPEATS = 5;
const CLUSTER_SUBQUERY = '(SELECT cluster_id FROM cluster_member cm WHERE cm.image_id = i.id)';
const PATH_SUBQUERY = '(SELECT path FROM location WHERE image_id = i.id ORDER BY id LIMIT 1)';
const objectRowSchema = summaryRowSchema.extend({ sort_key: z.union([z.number(), z.string()]) });

export interface PageParts {
  query: string;
  /** listImages as it runs now, ms per page. */
  listMs: number;
  /** The page's SQL, prepared once, read with `.raw()`. */
  sqlRawMs: number;
  /** The same without the cluster_id and primary_path subqueries (NULL in their place). */
  sqlNoSubqueriesMs: number;
  prepareMs: number;
  /** `.all()` as objects (SQL plus object building). */
  sqlObjectsMs: number;
  zodParseMs: number;
  toSummaryMs: number;
  /** The path before: prepare + objects + zod + toImageSummary. */
  beforeMs: number;
}

function timed(run: () => void): number {
  run(); // warm the pages and the statement
  const t = performance.now();
  for (let r = 0; r < REPEATS; r++) run();
  return (performance.now() - t) / REPEATS;
}

export function measurePageParts(db: Db, label: string, query: ImageQuery, depths = 10): PageParts {
  const q = imageQuerySchema.parse({ ...query, limit: PAGE });
  const total = listImages(db, q).total;
  const sums = { listMs: 0, sqlRawMs: 0, sqlNoSubqueriesMs: 0, prepareMs: 0, sqlObjectsMs: 0, zodParseMs: 0, toSummaryMs: 0 };
  for (let d = 1; d <= depths; d++) {
    const offset = Math.floor(((total - PAGE) * d) / depths / PAGE) * PAGE;
    const cursor = offset > 0 ? listImages(db, { ...q, offset: offset - 1, limit: 1 }).next : undefined;
    const pq = cursor ? { ...q, after: cursor } : { ...q, offset };
    const statement = imagePageStatement(db, pq, total);
    if (!statement) throw new Error(`${label}: no statement`);
    const bare = statement.sql.replaceAll(CLUSTER_SUBQUERY, 'NULL').replaceAll(PATH_SUBQUERY, 'NULL');
    if (bare.includes('cluster_member') || bare.includes('FROM location'))
      throw new Error(`${label}: subqueries not found in the page SQL`);
    const prepared = db.prepare(statement.sql);
    const preparedBare = db.prepare(bare);
    let objects: unknown[] = [];
    let parsed: z.infer<typeof objectRowSchema>[] = [];
    sums.listMs += timed(() => listImages(db, pq));
    sums.sqlRawMs += timed(() => prepared.raw(true).all(statement.params));
    sums.sqlNoSubqueriesMs += timed(() => preparedBare.raw(true).all(statement.params));
    sums.prepareMs += timed(() => db.prepare(statement.sql));
    sums.sqlObjectsMs += timed(() => (objects = prepared.raw(false).all(statement.params)));
    sums.zodParseMs += timed(() => (parsed = parseRows(objectRowSchema, objects, 'image page')));
    sums.toSummaryMs += timed(() => parsed.map(toImageSummary));
    if (parsed.length !== listImages(db, pq).items.length) throw new Error(`${label}: row counts differ`);
  }
  const per = (ms: number) => +(ms / depths).toFixed(2);
  const out = { query: label } as PageParts;
  for (const [k, v] of Object.entries(sums)) out[k as keyof typeof sums] = per(v);
  out.beforeMs = +(out.prepareMs + out.sqlObjectsMs + out.zodParseMs + out.toSummaryMs).toFixed(2);
  return out;
}
