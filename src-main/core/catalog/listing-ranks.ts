// How many of a filter's matches come before a given (key, id) in one index's order (either direction), in
// O(STRIDE) once that stretch of the index has checkpoints. SQLite has no counted B-tree: a count of the rows
// before an image walks all of them (tens of milliseconds at 1M, on every step of the Detail view). So the index
// is walked from the listing's start once per filter, direction and catalogue version, remembering every
// STRIDE-th entry and how many matches lie up to it; a rank is then the count at the checkpoint just before plus
// a count over at most STRIDE index entries. The walk is extended only as deep as a rank asks: the first step
// at place p costs O(p), as one count did before, and every later step up to that depth O(STRIDE).
//
// Checkpoints are taken on the index, not on the matches, so the bound holds for any filter: a rare or unevenly
// spread match set still leaves at most STRIDE entries between two checkpoints.
import type { Db } from './database';
import { parseCount, parseRow } from './parse-rows';
import { cachedStatement } from './statement-cache';
import { countOnce, untilCatalogueChanges } from './version-cache';
import * as z from 'zod';

/** Index entries between checkpoints: a rank counts at most this many (~0.1-1 ms); 1M entries keep ~1k checkpoints. */
export const STRIDE = 1024;

/** One index, walked in (key, id) order. */
export interface IndexWalk {
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

export type RankKey = number | string;
export interface Position {
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
export function rankInWalk(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, at: Position, stride = STRIDE): number {
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
export function matchesInWalk(db: Db, walk: IndexWalk, filter: Filter): number {
  return countOnce(db, fromWhere(walk, [...walk.base, ...filter.where]), { ...walk.params, ...filter.params });
}
