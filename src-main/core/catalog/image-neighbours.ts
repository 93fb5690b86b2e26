// One image's neighbours in a filtered, sorted listing (the detail view's previous / next) and its place there,
// found by keyset from the image's own sort key: O(1) pages at any depth, whether or not it still matches.
import * as z from 'zod';
import type { ApiParsedInput } from '../../../src-shared/api';
import type { ImageNeighbours } from '../../../src-shared/api/catalog';
import { SporeprintError } from '../errors';
import type { Db } from './database';
import { afterCursorTerm, imageFilter, listImages, SORT_KEYS } from './image-pages';
import { parseCount, parseRow } from './parse-rows';
import { countBeforeInTaxonOrder } from './taxon-rank-count';

type NeighbourQuery = ApiParsedInput<'images.neighbours'>;

const sortKeyRow = z.object({ k: z.union([z.number(), z.string()]) });

const FROM = 'FROM image i LEFT JOIN label l ON l.image_id = i.id';
const whereOf = (terms: string[]) => (terms.length ? `WHERE ${terms.join(' AND ')}` : '');

export function imageNeighbours(db: Db, q: NeighbourQuery): ImageNeighbours {
  const row = parseRow(sortKeyRow, db.prepare(`SELECT ${SORT_KEYS[q.sort]} AS k ${FROM} WHERE i.id = ?`).get(q.id), 'sort key');
  if (!row) throw new SporeprintError('NOT_FOUND', `no image with id ${q.id}`);
  const after = { key: row.k, id: q.id };
  const desc = q.order !== 'asc';
  const forward = listImages(db, { ...q, offset: 0, limit: 1, after });
  const backward = listImages(db, { ...q, order: desc ? 'asc' : 'desc', offset: 0, limit: 1, after });

  const filter = imageFilter(q);
  const params = { ...filter.params, id: q.id, afterKey: row.k, afterId: q.id };
  const matches = parseCount(
    db
      .prepare(`SELECT count(*) ${FROM} ${whereOf([...filter.where, 'i.id = @id'])}`)
      .pluck()
      .get(params),
    'match',
  );
  // The rows before it are the rows "after" it in the opposite direction. Without a label term the join cannot
  // change the count (one label per image): counting image alone lets SQLite count a range of the sort key's index.
  const beforeTerms = [...filter.where, afterCursorTerm(q.sort, !desc)];
  const from = beforeTerms.some((t) => t.includes('l.')) ? FROM : 'FROM image i';
  const count = (sql: string) => parseCount(db.prepare(sql).pluck().get(params), 'rows before');
  // The taxon key lives in label: counted in two index-ordered parts, as the taxon pages are read.
  const before = !matches
    ? 0
    : q.sort === 'taxon'
      ? countBeforeInTaxonOrder(db, filter, String(row.k), q.id, desc)
      : count(`SELECT count(*) ${from} ${whereOf(beforeTerms)}`);
  return {
    previous: backward.items[0]?.id ?? null,
    next: forward.items[0]?.id ?? null,
    position: matches ? before + 1 : null,
    total: forward.total,
  };
}
