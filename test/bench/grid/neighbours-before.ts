// images.neighbours' place as it was counted before issue 19 part 3, kept as bench:grid's same-run baseline: the
// rows before the image counted on every step (O(place): the sort key's index range, or for taxa two parts, the
// labelled images by label_taxon and the unlabelled ones by rowid).
import type { Db } from '../../../src-main/core/catalog/database';
import { imageFilter } from '../../../src-main/core/catalog/image-filters';
import { afterCursorTerm, listImages } from '../../../src-main/core/catalog/image-pages';
import { parseCount } from '../../../src-main/core/catalog/parse-rows';
import { countOnce } from '../../../src-main/core/catalog/version-cache';
import { imageQuerySchema, type ImageQuery } from '../../../src-shared/api/catalog';

type ParsedQuery = ReturnType<typeof imageQuerySchema.parse>;

const FROM = 'FROM image i LEFT JOIN label l ON l.image_id = i.id';
const whereOf = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');
const and = (terms: string[]) => terms.map((t) => ` AND ${t}`).join('');

/** The previous place of a matching image whose sort key is `key` (1-based), as imageNeighbours computed it. */
function positionBefore(db: Db, q: ParsedQuery, key: string | number, id: number) {
  const filter = imageFilter(q);
  const desc = q.order !== 'asc';
  const params = { ...filter.params, id, afterKey: key, afterId: id };
  const count = (sql: string, p: Record<string, unknown> = params) => parseCount(db.prepare(sql).pluck().get(p), 'rows before');
  if (q.sort !== 'taxon') {
    const beforeTerms = [...filter.where, afterCursorTerm(q.sort, !desc)];
    const from = beforeTerms.some((t) => t.includes('l.')) ? FROM : 'FROM image i';
    return count(`SELECT count(*) ${from} ${whereOf(beforeTerms)}`) + 1;
  }
  const named = filter.where.some((t) => t.includes('i.'))
    ? `FROM label l CROSS JOIN image i ON i.id = l.image_id WHERE l.taxon > ''`
    : `FROM label l WHERE l.taxon > ''`;
  const blank = `${FROM} WHERE (l.image_id IS NULL OR l.taxon = '')`;
  const lt = desc ? '>' : '<';
  const p = { ...filter.params, beforeKey: key, beforeId: id };
  if (key === '') {
    const blanks = count(`SELECT count(*) ${blank}${and([...filter.where, `i.id ${lt} @beforeId`])}`, p);
    return 1 + (desc ? blanks + countOnce(db, `${named}${and(filter.where)}`, filter.params) : blanks);
  }
  const namedBefore = `l.taxon ${lt} @beforeKey OR (l.taxon = @beforeKey AND l.image_id ${lt} @beforeId)`;
  const before = count(`SELECT count(*) ${named}${and([...filter.where, `(${namedBefore})`])}`, p);
  return 1 + (desc ? before : before + countOnce(db, `${blank}${and(filter.where)}`, filter.params));
}

/** The whole previous images.neighbours: the same keyset neighbours as now, the place counted as above. */
export function neighboursBefore(db: Db, q: Omit<ImageQuery, 'offset' | 'limit' | 'after' | 'ids'>, key: string | number, id: number) {
  const parsed = imageQuerySchema.parse({ ...q, limit: 1 });
  const desc = parsed.order !== 'asc';
  const after = { key, id };
  const forward = listImages(db, { ...parsed, after });
  const backward = listImages(db, { ...parsed, order: desc ? 'asc' : 'desc', after });
  const filter = imageFilter(parsed);
  const matches = parseCount(
    db
      .prepare(`SELECT count(*) ${FROM} ${whereOf([...filter.where, 'i.id = @id'])}`)
      .pluck()
      .get({ ...filter.params, id }),
    'match',
  );
  return {
    previous: backward.items[0]?.id ?? null,
    next: forward.items[0]?.id ?? null,
    position: matches ? positionBefore(db, parsed, key, id) : null,
    total: forward.total,
  };
}
