// One index walked in (key, id) order, and the counts and steps rank checkpoints take along it (listing-ranks.ts,
// rank-repair.ts): every query is a seekable range of the pinned index, one branch per stretch of a tied key.
import type { Db } from './database';
import { parseCount, parseRow } from './parse-rows';
import type { LoggedKey } from './rank-changes';
import { cachedStatement } from './statement-cache';
import * as z from 'zod';

/** One index, walked in (key, id) order. */
export interface IndexWalk {
  /** The walked table and its alias, as `FROM` takes it (`image i`). */
  table: string;
  /** The index the walk is pinned to (`INDEXED BY x`, or `NOT INDEXED` for the rowid). */
  pin: string;
  /**
   * The other table, joined only for counts whose filter reads it (its alias and join clause): stepping along
   * the index never probes it, which at 1M is a random page read per entry.
   */
  join: { alias: string; clause: string };
  /** The key's SQL, or null when the walk is by rowid alone. */
  key: string | null;
  /** Which of the sort keys a write logs before changing it is this walk's key (null: the key is the id). */
  loggedKey: LoggedKey | null;
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

export interface Filter {
  where: string[];
  params: Record<string, unknown>;
}

/** Every entry of the walk: counts with it count the walk's entries. */
export const EVERY_ENTRY: Filter = { where: [], params: {} };

const keyRow = z.object({ k: z.union([z.number(), z.string()]), id: z.number().int() });

/** Index-ordered comparison, ascending; text as SQLite's BINARY collation compares it (UTF-8 bytes, not UTF-16). */
export function compare(a: Position, b: Position): number {
  if (a.key !== b.key) {
    if (typeof a.key === 'number' && typeof b.key === 'number') return a.key - b.key;
    return Buffer.compare(Buffer.from(String(a.key)), Buffer.from(String(b.key)));
  }
  return a.id - b.id;
}

/** Whether `a` comes strictly before `b` in the walk read in this direction. */
export const comesBefore = (desc: boolean, a: Position, b: Position) => (desc ? -compare(a, b) : compare(a, b)) < 0;

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

/**
 * FROM and WHERE over the walk, with its joined table only when a term reads it. The range terms come before the
 * walk's base terms: of two lower bounds on one column (`l.taxon > @loKey`, the base's `l.taxon > ''`) SQLite
 * seeks the first and filters by the other, so the base first walked every named label from the start (2.6 ms
 * for a 200-entry stretch at 100k).
 */
export function fromWhere(walk: IndexWalk, terms: string[]): string {
  const join = terms.some((t) => t.includes(`${walk.join.alias}.`)) ? ` ${walk.join.clause}` : '';
  return `FROM ${walk.table} ${walk.pin}${join} ${terms.length ? `WHERE ${terms.join(' AND ')}` : ''}`;
}

/** The filter's matches among the walk's entries in (lo, hi) or (lo, hi]. */
export function countBetween(
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
    const sql = `SELECT count(*) ${fromWhere(walk, [...terms, ...walk.base, ...filter.where])}`;
    n += parseCount(cachedStatement(db, sql).pluck().get(params), 'rank count');
  }
  return n;
}

/** The walk's entry `skip` entries after `lo` (the first entry when skip is 0), or null past its end. */
export function entryAfter(db: Db, walk: IndexWalk, desc: boolean, lo: Position | null, skip: number): Position | null {
  const dir = desc ? 'DESC' : 'ASC';
  const order = walk.key === null ? `${walk.id} ${dir}` : `${walk.key} ${dir}, ${walk.id} ${dir}`;
  const params = { ...walk.params, ...boundParams(lo, null) };
  let left = skip;
  for (const terms of segments(walk, desc, lo, null, false)) {
    const from = fromWhere(walk, [...terms, ...walk.base]);
    const sql = `SELECT ${walk.key ?? walk.id} AS k, ${walk.id} AS id ${from} ORDER BY ${order} LIMIT 1 OFFSET @skip`;
    const row = parseRow(keyRow, cachedStatement(db, sql).get({ ...params, skip: left }), 'rank checkpoint');
    if (row) return { key: row.k, id: row.id };
    // This branch held fewer than `left` entries (so counting them walks at most STRIDE): skip them in the next.
    left -= parseCount(cachedStatement(db, `SELECT count(*) ${from}`).pluck().get(params), 'rank skip');
  }
  return null;
}

const placedRow = z.object({ k: z.union([z.number(), z.string()]), id: z.number().int(), m: z.number().int() });

/**
 * Where these images stand in the walk now (those in it: its base terms hold) and whether each matches the filter,
 * looked up by id (one probe each, not along the pinned index).
 */
export function placesNow(db: Db, walk: IndexWalk, filter: Filter, ids: number[]): Map<number, { at: Position; matches: boolean }> {
  const matches = filter.where.length ? `CASE WHEN ${filter.where.join(' AND ')} THEN 1 ELSE 0 END` : '1';
  const terms = [...walk.base, `${walk.id} IN (SELECT value FROM json_each(@rankIds))`];
  const sql = `SELECT ${walk.key ?? walk.id} AS k, ${walk.id} AS id, ${matches} AS m FROM ${walk.table} ${walk.join.clause} WHERE ${terms.join(' AND ')}`;
  const rows = cachedStatement(db, sql).all({ ...walk.params, ...filter.params, rankIds: JSON.stringify(ids) });
  const out = new Map<number, { at: Position; matches: boolean }>();
  for (const raw of rows) {
    const row = parseRow(placedRow, raw, 'rank place')!;
    out.set(row.id, { at: { key: row.k, id: row.id }, matches: row.m === 1 });
  }
  return out;
}
