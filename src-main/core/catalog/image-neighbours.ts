// One image's neighbours in a filtered, sorted listing (the detail view's previous / next) and its place there:
// the neighbours by keyset from the image's own sort key, the place from rank checkpoints on the sort key's index
// (image-positions.ts), both O(page) at any depth, whether or not the image still matches.
import * as z from 'zod';
import type { ApiParsedInput } from '../../../src-shared/api';
import type { ImageNeighbours } from '../../../src-shared/api/catalog';
import { SporeprintError } from '../errors';
import type { Db } from './database';
import { imageFilter } from './image-filters';
import { listImages, SORT_KEYS } from './image-pages';
import { positionInListing } from './image-positions';
import { parseCount, parseRow } from './parse-rows';

type NeighbourQuery = ApiParsedInput<'images.neighbours'>;

const sortKeyRow = z.object({ k: z.union([z.number(), z.string()]) });

const FROM = 'FROM image i LEFT JOIN label l ON l.image_id = i.id';

export function imageNeighbours(db: Db, q: NeighbourQuery): ImageNeighbours {
  const row = parseRow(sortKeyRow, db.prepare(`SELECT ${SORT_KEYS[q.sort]} AS k ${FROM} WHERE i.id = ?`).get(q.id), 'sort key');
  if (!row) throw new SporeprintError('NOT_FOUND', `no image with id ${q.id}`);
  const after = { key: row.k, id: q.id };
  const desc = q.order !== 'asc';
  const forward = listImages(db, { ...q, offset: 0, limit: 1, after });
  const backward = listImages(db, { ...q, order: desc ? 'asc' : 'desc', offset: 0, limit: 1, after });

  const filter = imageFilter(q);
  const matches = parseCount(
    db
      .prepare(`SELECT count(*) ${FROM} WHERE ${[...filter.where, 'i.id = @id'].join(' AND ')}`)
      .pluck()
      .get({ ...filter.params, id: q.id }),
    'match',
  );
  return {
    previous: backward.items[0]?.id ?? null,
    next: forward.items[0]?.id ?? null,
    position: matches ? positionInListing(db, q, row.k, q.id, forward.total) : null,
    total: forward.total,
  };
}
