// How many images of a filtered listing sorted by taxon come before one image, in two index-ordered parts as the
// taxon pages read them: labelled images by label_taxon (taxon, image id) and those whose key is '' (no label) by
// rowid. One `ifnull(l.taxon, '')` comparison over image x label could use no index and walked every image.
import type { Db } from './database';
import { parseCount } from './parse-rows';
import { countOnce } from './version-cache';

/** Labelled images; image is joined only when a filter term needs its columns (a label-only count is an index range). */
const named = (where: string[]) =>
  where.some((t) => t.includes('i.'))
    ? `FROM label l CROSS JOIN image i ON i.id = l.image_id WHERE l.taxon > ''`
    : `FROM label l WHERE l.taxon > ''`;
const BLANK = `FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE (l.image_id IS NULL OR l.taxon = '')`;

/**
 * Rows of the filter (`where` over `i` and `l`) strictly before the image whose key is `key` (its taxon, or '')
 * and id `id`, listed ascending (blanks first) or descending (blanks last).
 */
export function countBeforeInTaxonOrder(
  db: Db,
  filter: { where: string[]; params: Record<string, unknown> },
  key: string,
  id: number,
  desc: boolean,
): number {
  const and = (terms: string[]) => terms.map((t) => ` AND ${t}`).join('');
  const params = { ...filter.params, beforeKey: key, beforeId: id };
  const count = (sql: string) => parseCount(db.prepare(`SELECT count(*) ${sql}`).pluck().get(params), 'rows before');
  const [lt] = desc ? ['>'] : ['<'];
  const namedBefore = `l.taxon ${lt} @beforeKey OR (l.taxon = @beforeKey AND l.image_id ${lt} @beforeId)`;
  if (key === '') {
    // Ascending, only blanks with a smaller id; descending, every named row and the blanks with a larger id.
    const blanks = count(`${BLANK}${and([...filter.where, `i.id ${lt} @beforeId`])}`);
    return desc ? blanks + countOnce(db, `${named(filter.where)}${and(filter.where)}`, filter.params) : blanks;
  }
  const before = count(`${named(filter.where)}${and([...filter.where, `(${namedBefore})`])}`);
  // Every blank comes before a named image ascending, none descending; their total is counted once per version.
  return desc ? before : before + countOnce(db, `${BLANK}${and(filter.where)}`, filter.params);
}
