// The grid's pages sorted by taxon, in O(page): the sort key lives in `label`, and `image LEFT JOIN label`
// ordered by ifnull(l.taxon, '') can use no index (SQLite sorted every match for each page). So the listing is
// two parts each walked in its own index order: labelled images by label_taxon (taxon, then rowid = image id:
// exactly the key and tie-break) and images whose key is '' (unlabelled) by the image rowid. Ascending, the ''
// part comes first; descending, last. A cursor says which part it is in; the other part is skipped or read from
// its start. No new index: label_taxon already orders (taxon, image_id). The parts carry only (id, key, part):
// the summary (the image row, its cluster and first location) is read for the page's rows alone, not for the
// rows of a part that the page does not reach (up to two pages of them).
import type { Db } from './database';
import { blankTotal } from './filter-totals';
import { SUMMARY_COLUMNS } from './image-queries';
import { countOnce } from './version-cache';

export interface TaxonPageQuery {
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
export function taxonPageStatement(db: Db, q: TaxonPageQuery): { sql: string; params: Record<string, unknown> } | null {
  const dir = q.desc ? 'DESC' : 'ASC';
  const lt = q.desc ? '<' : '>';
  const inBlank = q.after !== undefined && q.after.key === '';
  const afterNamed = q.after !== undefined && q.after.key !== '';
  // The part after the cursor's part is read from its start; the one before it is done.
  const wantNamed = q.labelled !== false && !(inBlank && q.desc);
  // A label filter matches no unlabelled image, but may match a label whose taxon is empty (also keyed '').
  const wantBlank = (q.labelled !== true || emptyTaxa(db) > 0) && !(afterNamed && !q.desc) && blankTotal(db) > 0;
  const params: Record<string, unknown> = { ...q.params, n: q.offset + q.limit, limit: q.limit, offset: q.offset };
  // Each part's rows in its index order, without a LIMIT (added below), by its place in the listing.
  const parts: { part: number; rows: string }[] = [];
  const and = (terms: string[]) => (terms.length ? `AND ${terms.join(' AND ')}` : '');
  // Image is joined into a labelled part only when a filter term reads its columns: label_taxon alone covers the rest.
  const labelFrom = q.where.some((t) => t.includes('i.')) ? 'label l CROSS JOIN image i ON i.id = l.image_id' : 'label l';
  if (wantNamed) {
    const named = (where: string[], part: number) => ({
      part,
      // CROSS JOIN keeps label the outer loop, walked in label_taxon order and stopped after the part's rows.
      rows: `SELECT l.image_id AS id, l.taxon AS sort_key, ${part} AS part FROM ${labelFrom}
         WHERE ${where.join(' AND ')} ORDER BY l.taxon ${dir}, l.image_id ${dir}`,
    });
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
    const part = q.desc ? 2 : 0;
    parts.push({
      part,
      rows: `SELECT i.id AS id, '' AS sort_key, ${part} AS part FROM image i LEFT JOIN label l ON l.image_id = i.id
         WHERE (l.image_id IS NULL OR l.taxon = '') ${and(terms)} ORDER BY i.id ${dir}`,
    });
  }
  if (parts.length === 0) return null;
  parts.sort((a, b) => a.part - b.part);
  // A part reads only the rows the parts before it left short of offset + limit: a page that its first part fills
  // never starts the next (ascending pages of the unlabelled images read no taxon rows, and a page inside one taxon
  // none of the next). MATERIALIZED keeps each part its own loop, stopped at its LIMIT, and keeps SQLite from
  // pushing the page's ORDER BY into the parts (a merge that sorts each part again).
  const ctes = parts.map(({ rows }, k) => {
    const earlier = parts.slice(0, k).map((_, j) => ` - (SELECT count(*) FROM p${j})`);
    return `p${k} AS MATERIALIZED (${rows} LIMIT max(0, @n${earlier.join('')}))`;
  });
  const page = parts.map((_, k) => `SELECT * FROM p${k}`).join(' UNION ALL ');
  // The page's rows are sorted (at most offset + limit of them) and only they read their summary.
  const order = (t: string) => `${t}part, ${t}sort_key ${dir}, ${t}id ${dir}`;
  const sql = `WITH ${ctes.join(',\n    ')},
    chosen AS MATERIALIZED (SELECT id, sort_key, part FROM (${page}) ORDER BY ${order('')} LIMIT @limit OFFSET @offset)
    SELECT ${SUMMARY_COLUMNS}, c.sort_key FROM chosen c CROSS JOIN image i ON i.id = c.id
      LEFT JOIN label l ON l.image_id = i.id ORDER BY ${order('c.')}`;
  return { sql, params };
}

/** Labels with an empty taxon (sorted with the unlabelled images); a seek on label_taxon, counted once per version. */
export function emptyTaxa(db: Db): number {
  return countOnce(db, `FROM label l WHERE l.taxon = ''`, {});
}
