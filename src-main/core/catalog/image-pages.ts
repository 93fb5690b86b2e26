// The grid's pages: filtered, sorted image summaries. A page after a cursor (the last row of the page before)
// is found by keyset on the sort key's index, O(page) at any depth; an offset is kept for jumps. The filter's
// total is carried across writes by rank checkpoints (filter-totals.ts), not counted again on every page.
import type { ApiParsedInput } from '../../../src-shared/api';
import type { ImagePageCursor, ImageSummary } from '../../../src-shared/model';
import { filterTotal, libraryTotal } from './filter-totals';
import { imageFilter } from './image-filters';
import type { Db } from './database';
import { rawToImageSummary, SUMMARY_COLUMNS, SUMMARY_RAW_COLUMNS } from './image-queries';
import { rawRowChecker, real, text } from './row-columns';
import { cachedStatement } from './statement-cache';
import { taxonPageStatement } from './taxon-pages';

type ImageQuery = ApiParsedInput<'images.list'>;

/**
 * Each sort's key, as SQL over `image i LEFT JOIN label l`. Every key but taxon is served by an index on image
 * (rowid, image_quality, image_file_size, image_resolution), with the rowid as tie-break; taxon pages are read
 * in two parts from label_taxon and the rowid (taxon-pages.ts). The missing taxon of an unlabelled image sorts
 * as '', exactly where NULL sorted before.
 */
export const SORT_KEYS = {
  created: 'i.id',
  quality: 'i.quality_score',
  taxon: "ifnull(l.taxon, '')",
  size: 'i.file_size',
  resolution: 'max(i.width, i.height)',
} as const;

/** Below this share of the library, a label filter's matches are fewer to sort than images to walk past per page. */
const LABEL_INDEX_SHARE = 0.02;

/** Whether to drive a label-filtered page by the label index (few matches) or by the sort key's index (many). */
function labelIndexPays(db: Db, q: ImageQuery, matches: number): boolean {
  if (!q.labelState && !q.taxon) return false;
  if (q.sort === 'taxon') return true;
  return matches < LABEL_INDEX_SHARE * libraryTotal(db);
}

/** The WHERE term for "after the row (@afterKey, @afterId)" in this sort and direction. */
export function afterCursorTerm(sort: ImageQuery['sort'], desc: boolean): string {
  const key = SORT_KEYS[sort];
  const [lt, le] = desc ? ['<', '<='] : ['>', '>='];
  // `key <= k` alone bounds the index range; the OR then steps past the rows of equal key already shown.
  return sort === 'created' ? `i.id ${lt} @afterId` : `${key} ${le} @afterKey AND (${key} ${lt} @afterKey OR i.id ${lt} @afterId)`;
}

/** A page's rows: the summary, then the sort key (text for taxon, a number for every other sort). */
const numberKeyRow = rawRowChecker('image page', [...SUMMARY_RAW_COLUMNS, ['sort_key', real]]);
const textKeyRow = rawRowChecker('image page', [...SUMMARY_RAW_COLUMNS, ['sort_key', text]]);

export function listImages(db: Db, q: ImageQuery): { total: number; items: ImageSummary[]; next: ImagePageCursor | null } {
  const total = filterTotal(db, q);
  const statement = imagePageStatement(db, q, total);
  // Prepared once per SQL text and read as arrays: at 1M rows preparing and zod-parsing a page of 200 cost more than
  // the page's SQL (bench:grid --list-only prints the parts).
  const rows = statement ? cachedStatement(db, statement.sql).raw(true).all(statement.params) : [];
  const check = q.sort === 'taxon' ? textKeyRow : numberKeyRow;
  const items: ImageSummary[] = new Array(rows.length);
  let last: ReturnType<typeof check> | undefined;
  for (let r = 0; r < rows.length; r++) items[r] = rawToImageSummary((last = check(rows[r])));
  return { total, items, next: last && rows.length === q.limit ? { key: last[SORT_KEY_COLUMN], id: last[0] } : null };
}

const SORT_KEY_COLUMN = SUMMARY_RAW_COLUMNS.length;

/**
 * The SQL and parameters of a page (null when nothing can match), its rows SUMMARY_COLUMNS then `sort_key`.
 * `total` is the filter's count, which decides whether a label index drives the page.
 */
export function imagePageStatement(db: Db, q: ImageQuery, total: number): { sql: string; params: Record<string, unknown> } | null {
  const desc = q.order !== 'asc';
  if (q.sort === 'taxon')
    return taxonPageStatement(db, {
      desc,
      limit: q.limit,
      offset: q.after ? 0 : q.offset,
      after: q.after,
      ...imageFilter(q, false),
      labelled: q.labelState === 'unlabelled' ? false : q.labelState || q.taxon ? true : null,
    });
  const key = SORT_KEYS[q.sort];
  const dir = desc ? 'DESC' : 'ASC';
  const filter = imageFilter(q, labelIndexPays(db, q, total));
  const terms = [...filter.where];
  const params: Record<string, unknown> = { ...filter.params, limit: q.limit, offset: q.after ? 0 : q.offset };
  if (q.after) {
    terms.push(afterCursorTerm(q.sort, desc));
    params.afterKey = q.after.key;
    params.afterId = q.after.id;
  }
  const where = terms.length ? `WHERE ${terms.join(' AND ')}` : '';
  return {
    sql: `SELECT ${SUMMARY_COLUMNS}, ${key} AS sort_key FROM image i LEFT JOIN label l ON l.image_id = i.id ${where}
       ORDER BY ${key} ${dir}, i.id ${dir} LIMIT @limit OFFSET @offset`,
    params,
  };
}
