// The taxon page as src-main/core/catalog/taxon-pages.ts wrote it before issue 19 part 3, kept as bench:grid's
// same-run baseline: every part selected the summary columns, so the rows a part read past the page (up to two
// pages of them) still cost their image row, cluster and first-location lookups.
import type { Db } from '../../../src-main/core/catalog/database';
import { SUMMARY_COLUMNS, SUMMARY_RAW_COLUMNS } from '../../../src-main/core/catalog/image-queries';
import { countOnce } from '../../../src-main/core/catalog/version-cache';

/** The summary's column names, to select from the page without its `part`. */
const SUMMARY_NAMES = SUMMARY_RAW_COLUMNS.map(([name]) => name).join(', ');

interface TaxonPageQuery {
  desc: boolean;
  limit: number;
  offset: number;
  after: { key: string | number; id: number } | undefined;
  /** The filter's WHERE terms over `i` and `l`, label terms written `+l.` (see imageFilter). */
  where: string[];
  params: Record<string, unknown>;
  /** The filter only matches labelled images (a label state or a taxon), or only unlabelled ones. */
  labelled: boolean | null;
}

/**
 * The page's SQL and parameters (null when no part can match); its rows are SUMMARY_COLUMNS then `sort_key`, in
 * page order. A test reads its EXPLAIN QUERY PLAN.
 */
export function taxonPageStatementBefore(db: Db, q: TaxonPageQuery): { sql: string; params: Record<string, unknown> } | null {
  const dir = q.desc ? 'DESC' : 'ASC';
  const lt = q.desc ? '<' : '>';
  const inBlank = q.after !== undefined && q.after.key === '';
  const afterNamed = q.after !== undefined && q.after.key !== '';
  // The part after the cursor's part is read from its start; the one before it is done.
  const wantNamed = q.labelled !== false && !(inBlank && q.desc);
  const wantBlank = q.labelled !== true && !(afterNamed && !q.desc) && blankRows(db) > 0;
  const params: Record<string, unknown> = { ...q.params, n: q.offset + q.limit, limit: q.limit, offset: q.offset };
  const parts: string[] = [];
  const and = (terms: string[]) => (terms.length ? `AND ${terms.join(' AND ')}` : '');
  if (wantNamed) {
    const named = (where: string[], part: number) =>
      // CROSS JOIN keeps label the outer loop, walked in label_taxon order and stopped after n rows.
      `SELECT * FROM (SELECT ${SUMMARY_COLUMNS}, l.taxon AS sort_key, ${part} AS part
         FROM label l CROSS JOIN image i ON i.id = l.image_id
         WHERE ${where.join(' AND ')} ORDER BY l.taxon ${dir}, l.image_id ${dir} LIMIT @n)`;
    const first = q.desc ? 0 : 1;
    if (afterNamed) {
      // The rest of the cursor's taxon, then the taxa after it: each a seek on label_taxon (taxon, rowid). One
      // range with "taxon = k AND id > i" inside an OR would walk every earlier row of taxon k, and a species
      // holds thousands of photos.
      parts.push(named([`l.taxon = @afterKey`, `l.image_id ${lt} @afterId`, ...q.where], first));
      parts.push(named([`l.taxon ${lt} @afterKey`, `l.taxon > ''`, ...q.where], first + 1));
      params.afterKey = q.after!.key;
      params.afterId = q.after!.id;
    } else parts.push(named([`l.taxon > ''`, ...q.where], first));
  }
  if (wantBlank) {
    const terms = [...q.where];
    if (inBlank) {
      terms.push(`i.id ${lt} @afterId`);
      params.afterId = q.after!.id;
    }
    parts.push(
      `SELECT * FROM (SELECT ${SUMMARY_COLUMNS}, '' AS sort_key, ${q.desc ? 2 : 0} AS part
         FROM image i LEFT JOIN label l ON l.image_id = i.id
         WHERE (l.image_id IS NULL OR l.taxon = '') ${and(terms)} ORDER BY i.id ${dir} LIMIT @n)`,
    );
  }
  if (parts.length === 0) return null;
  // Each part holds at most offset + limit rows, so this sort is O(page) (plus the offset of a jump).
  // MATERIALIZED keeps SQLite from pushing this ORDER BY into the parts (a merge that sorts each part again).
  const sql = `WITH page AS MATERIALIZED (${parts.join(' UNION ALL ')})
    SELECT ${SUMMARY_NAMES}, sort_key FROM page ORDER BY part, sort_key ${dir}, id ${dir} LIMIT @limit OFFSET @offset`;
  return { sql, params };
}

/** How many images sort under the key '' (no label): counted once per catalogue version, so an empty part costs nothing. */
function blankRows(db: Db): number {
  return countOnce(db, `FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE l.image_id IS NULL OR l.taxon = ''`, {});
}
