// images.neighbours as it was before its rank checkpoints outlived writes (listing-ranks.ts and image-positions.ts
// of the commit before, unchanged below), kept as bench:grid's same-run baseline for the first step after a write:
// the checkpoints belonged to one catalogue version, so after any write the first step walked the sort key's index
// from the listing's start down to the image again.
import * as z from 'zod';
import type { ApiParsedInput } from '../../../src-shared/api';
import type { Db } from '../../../src-main/core/catalog/database';
import { imageFilter } from '../../../src-main/core/catalog/image-filters';
import { listImages, SORT_KEYS } from '../../../src-main/core/catalog/image-pages';
import { parseCount, parseRow } from '../../../src-main/core/catalog/parse-rows';
import { cachedStatement } from '../../../src-main/core/catalog/statement-cache';
import { countOnce, untilCatalogueChanges } from '../../../src-main/core/catalog/version-cache';

/** Index entries between checkpoints: a rank counts at most this many (~0.1-1 ms); 1M entries keep ~1k checkpoints. */
const STRIDE = 1024;

/** One index, walked in (key, id) order. */
interface IndexWalk {
  /** The walked table pinned to the index (INDEXED BY, or NOT INDEXED for the rowid), as `FROM` takes it. */
  from: string;
  /**
   * The other table, joined only for counts whose filter reads it (its alias and join clause): stepping along
   * the index never probes it, which at 1M is a random page read per entry.
   */
  join: { alias: string; clause: string };
  /** The key's SQL, or null when the walk is by rowid alone. */
  key: string | null;
  id: string;
  /** Terms every entry of the walk meets (the stretch of the index walked). */
  base: string[];
  /** The base terms' parameters. */
  params: Record<string, unknown>;
}

type RankKey = number | string;
interface Position {
  key: RankKey;
  id: number;
}

/** The checkpoints of one walk, filter and direction, extended as deeper ranks are asked (one catalogue version). */
interface RankIndex {
  checkpoints: Position[];
  /** matchesUpTo[j]: the filter's matches among the walk's entries up to and including checkpoint j. */
  matchesUpTo: number[];
  /** The walk has no entry past the last checkpoint. */
  ended: boolean;
}

interface Filter {
  where: string[];
  params: Record<string, unknown>;
}

const keyRow = z.object({ k: z.union([z.number(), z.string()]), id: z.number().int() });

/** Index-ordered comparison, ascending; text as SQLite's BINARY collation compares it (UTF-8 bytes, not UTF-16). */
function compare(a: Position, b: Position): number {
  if (a.key !== b.key) {
    if (typeof a.key === 'number' && typeof b.key === 'number') return a.key - b.key;
    return Buffer.compare(Buffer.from(String(a.key)), Buffer.from(String(b.key)));
  }
  return a.id - b.id;
}

/**
 * The walk's entries strictly after `lo` and before `hi` (or up to it, `hiInclusive`) in the walk's direction,
 * as index-seekable terms: one range per branch, so no branch walks the earlier rows of a tied key (a quality
 * score holds thousands).
 */
function segments(walk: IndexWalk, desc: boolean, lo: Position | null, hi: Position | null, hiInclusive: boolean): string[][] {
  const [after, before] = desc ? ['<', '>'] : ['>', '<'];
  const upTo = hiInclusive ? `${before}=` : before;
  const id = walk.id;
  if (walk.key === null) return [[...(lo ? [`${id} ${after} @loId`] : []), ...(hi ? [`${id} ${upTo} @hiId`] : [])]];
  const k = walk.key;
  if (lo && hi && lo.key === hi.key) return [[`${k} = @loKey`, `${id} ${after} @loId`, `${id} ${upTo} @hiId`]];
  const out: string[][] = [];
  if (lo) out.push([`${k} = @loKey`, `${id} ${after} @loId`]);
  out.push([...(lo ? [`${k} ${after} @loKey`] : []), ...(hi ? [`${k} ${before} @hiKey`] : [])]);
  if (hi) out.push([`${k} = @hiKey`, `${id} ${upTo} @hiId`]);
  return out;
}

const boundParams = (lo: Position | null, hi: Position | null) => ({
  ...(lo ? { loKey: lo.key, loId: lo.id } : {}),
  ...(hi ? { hiKey: hi.key, hiId: hi.id } : {}),
});

/** FROM and WHERE over the walk, with its joined table only when a term reads it. */
function fromWhere(walk: IndexWalk, terms: string[]): string {
  const join = terms.some((t) => t.includes(`${walk.join.alias}.`)) ? ` ${walk.join.clause}` : '';
  return `FROM ${walk.from}${join} ${terms.length ? `WHERE ${terms.join(' AND ')}` : ''}`;
}

/** The filter's matches among the walk's entries in (lo, hi) or (lo, hi]. */
function countBetween(
  db: Db,
  walk: IndexWalk,
  desc: boolean,
  filter: Filter,
  lo: Position | null,
  hi: Position | null,
  hiInclusive: boolean,
): number {
  const params = { ...walk.params, ...filter.params, ...boundParams(lo, hi) };
  let n = 0;
  for (const terms of segments(walk, desc, lo, hi, hiInclusive)) {
    const sql = `SELECT count(*) ${fromWhere(walk, [...walk.base, ...filter.where, ...terms])}`;
    n += parseCount(cachedStatement(db, sql).pluck().get(params), 'rank count');
  }
  return n;
}

/** The walk's entry `skip` entries after `lo` (the first entry when skip is 0), or null past its end. */
function entryAfter(db: Db, walk: IndexWalk, desc: boolean, lo: Position | null, skip: number): Position | null {
  const dir = desc ? 'DESC' : 'ASC';
  const order = walk.key === null ? `${walk.id} ${dir}` : `${walk.key} ${dir}, ${walk.id} ${dir}`;
  const params = { ...walk.params, ...boundParams(lo, null) };
  let left = skip;
  for (const terms of segments(walk, desc, lo, null, false)) {
    const from = fromWhere(walk, [...walk.base, ...terms]);
    const sql = `SELECT ${walk.key ?? walk.id} AS k, ${walk.id} AS id ${from} ORDER BY ${order} LIMIT 1 OFFSET @skip`;
    const row = parseRow(keyRow, cachedStatement(db, sql).get({ ...params, skip: left }), 'rank checkpoint');
    if (row) return { key: row.k, id: row.id };
    // This branch held fewer than `left` entries (so counting them walks at most STRIDE): skip them in the next.
    left -= parseCount(cachedStatement(db, `SELECT count(*) ${from}`).pluck().get(params), 'rank skip');
  }
  return null;
}

/** Adds checkpoints until the last one is at or past `at`, or the walk ends. */
function extendTo(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, index: RankIndex, at: Position, stride: number) {
  // Without filter terms every entry matches: a chunk's count is its length, no query needed.
  const everyEntry = filter.where.length === 0;
  const beyond = (p: Position) => (desc ? -compare(p, at) : compare(p, at)) >= 0;
  while (!index.ended && !(index.checkpoints.length && beyond(index.checkpoints.at(-1)!))) {
    const last = index.checkpoints.at(-1) ?? null;
    const next = entryAfter(db, walk, desc, last, stride - 1);
    if (!next) {
      index.ended = true;
      break;
    }
    const matches = everyEntry ? stride : countBetween(db, walk, desc, filter, last, next, true);
    index.checkpoints.push(next);
    index.matchesUpTo.push((index.matchesUpTo.at(-1) ?? 0) + matches);
  }
}

/**
 * The filter's matches strictly before `at` in the walk, read in the given direction. `stride` is the
 * checkpoints' spacing (tests use small ones to cross many checkpoints on a small catalogue).
 */
function rankInWalk(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, at: Position, stride = STRIDE): number {
  const cacheKey = ['ranks', stride, desc, JSON.stringify(walk), ...filter.where, JSON.stringify(filter.params)].join('\u0000');
  const index = untilCatalogueChanges<RankIndex>(db, cacheKey, () => ({ checkpoints: [], matchesUpTo: [], ended: false }));
  extendTo(db, walk, desc, filter, index, at, stride);
  // The last checkpoint strictly before `at` (binary search; -1 when none).
  const before = (p: Position) => (desc ? -compare(p, at) : compare(p, at)) < 0;
  let lo = -1;
  let hi = index.checkpoints.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (before(index.checkpoints[mid]!)) lo = mid;
    else hi = mid;
  }
  if (lo < 0) return countBetween(db, walk, desc, filter, null, at, false);
  return index.matchesUpTo[lo]! + countBetween(db, walk, desc, filter, index.checkpoints[lo]!, at, false);
}

/** The filter's matches anywhere in the walk, counted once per catalogue version. */
function matchesInWalk(db: Db, walk: IndexWalk, filter: Filter): number {
  return countOnce(db, fromWhere(walk, [...walk.base, ...filter.where]), { ...walk.params, ...filter.params });
}

type PositionQuery = Omit<ApiParsedInput<'images.neighbours'>, 'id'>;

const LABEL = { alias: 'l', clause: 'LEFT JOIN label l ON l.image_id = i.id' };
/** The walks over image, each pinned to the index the sort's pages use (NOT INDEXED still seeks the rowid). */
const IMAGE_WALKS: Record<Exclude<PositionQuery['sort'], 'taxon'>, IndexWalk> = {
  created: { from: 'image i NOT INDEXED', join: LABEL, key: null, id: 'i.id', base: [], params: {} },
  quality: { from: 'image i INDEXED BY image_quality', join: LABEL, key: 'i.quality_score', id: 'i.id', base: [], params: {} },
  size: { from: 'image i INDEXED BY image_file_size', join: LABEL, key: 'i.file_size', id: 'i.id', base: [], params: {} },
  resolution: { from: 'image i INDEXED BY image_resolution', join: LABEL, key: 'max(i.width, i.height)', id: 'i.id', base: [], params: {} },
};

/** Images whose taxon key is '' (no label, or an empty taxon), by rowid; the filter adds the blank test. */
const BLANK_WALK = IMAGE_WALKS.created;
const BLANK = `(l.image_id IS NULL OR l.taxon = '')`;

/** Labelled images in label_taxon order (the image joined for filter terms on its columns). */
const NAMED_WALK: IndexWalk = {
  from: 'label l INDEXED BY label_taxon',
  join: { alias: 'i', clause: 'CROSS JOIN image i ON i.id = l.image_id' },
  key: 'l.taxon',
  id: 'l.image_id',
  base: [`l.taxon > ''`],
  params: {},
};

/**
 * The newest- or oldest-first listing of one label state: label_state holds (state, image id), so the walk visits
 * only that state's labels (114k of 1M in the bench) instead of probing every image's label.
 */
function stateWalk(state: string): IndexWalk {
  return {
    from: 'label l INDEXED BY label_state',
    join: { alias: 'i', clause: 'CROSS JOIN image i ON i.id = l.image_id' },
    key: null,
    id: 'l.image_id',
    base: ['l.state = @walkState'],
    params: { walkState: state },
  };
}

/**
 * The 1-based place of the image with sort key `key` and id `id` among the filter's matches in this sort and
 * order; the image must match the filter, and `total` is the filter's count (images.list's total). Label terms
 * are written `+l.` so that no label index drives a count: every count walks the sort key's index, bounded by
 * the checkpoints.
 */
function positionBefore(db: Db, q: PositionQuery, key: RankKey, id: number, total: number, stride = STRIDE): number {
  const filter = imageFilter(q, false);
  const desc = q.order !== 'asc';
  if (q.sort === 'created' && q.labelState && q.labelState !== 'unlabelled')
    return 1 + rankInWalk(db, stateWalk(q.labelState), desc, filter, { key, id }, stride);
  if (q.sort !== 'taxon') return 1 + rankInWalk(db, IMAGE_WALKS[q.sort], desc, filter, { key, id }, stride);
  // Two parts, blanks first ascending and last descending: an image of the second part comes after every match
  // of the first, and then its place in its own part. Only the image's part is walked. The named matches are
  // counted on label_taxon (once per version); the blanks are the rest of the filter's count, which spares a
  // count over every image and its label.
  const named = { walk: NAMED_WALK, filter, at: { key, id } };
  const blank = { walk: BLANK_WALK, filter: { ...filter, where: [...filter.where, BLANK] }, at: { key: id, id } };
  const [first, second] = desc ? [named, blank] : [blank, named];
  const inFirst = (key === '') === (first === blank);
  const part = inFirst ? first : second;
  const namedMatches = () => matchesInWalk(db, NAMED_WALK, filter);
  const earlier = inFirst ? 0 : first === named ? namedMatches() : total - namedMatches();
  return 1 + earlier + rankInWalk(db, part.walk, desc, part.filter, part.at, stride);
}

/** The previous imageNeighbours: the same keyset neighbours, the place from checkpoints of this catalogue version. */
export function neighboursWithVersionedRanks(db: Db, q: ApiParsedInput<'images.neighbours'>) {
  const FROM = 'FROM image i LEFT JOIN label l ON l.image_id = i.id';
  const key = parseRow(
    z.object({ k: z.union([z.number(), z.string()]) }),
    db.prepare(`SELECT ${SORT_KEYS[q.sort]} AS k ${FROM} WHERE i.id = ?`).get(q.id),
    'sort key',
  )!.k;
  const after = { key, id: q.id };
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
    position: matches ? positionBefore(db, q, key, q.id, forward.total) : null,
    total: forward.total,
  };
}
