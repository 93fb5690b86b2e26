// How many of a filter's matches come before a given (key, id) in one index's order (either direction), in
// O(STRIDE) once that stretch of the index has checkpoints. SQLite has no counted B-tree: a count of the rows
// before an image walks all of them (tens of milliseconds at 1M, on every step of the Detail view). So the index
// is walked from the listing's start once per filter and direction, remembering every STRIDE-th entry and how
// many matches lie up to it; a rank is then the count at the checkpoint just before plus a count over at most
// STRIDE index entries (2 x STRIDE after repairs). The walk is extended only as deep as a rank asks: the first step
// at place p costs O(p), as one count did before, and every later step up to that depth O(STRIDE).
//
// The checkpoints outlive this connection's writes: each write's images are logged with their keys before it
// (rank-changes.ts), and only the chunks those images left or entered are counted again (rank-repair.ts). A commit
// by another connection, or more writes than the log keeps, rebuilds them from the start.
//
// Checkpoints are taken on the index, not on the matches, so the bound holds for any filter: a rare or unevenly
// spread match set still leaves at most STRIDE entries between two checkpoints.
import type { Db } from './database';
import { changeMark, changesSince, ensureChangeLog, sameCatalogue, type ChangeMark } from './rank-changes';
import { chunkOf, emptyRankIndex, pushChunk, repairRanks, type RankIndex } from './rank-repair';
import { comesBefore, countBetween, entryAfter, type Filter, type IndexWalk, type Position } from './rank-walk';

export type { IndexWalk, Position, RankKey } from './rank-walk';

/** Index entries between checkpoints: a rank counts at most this many (~0.1-1 ms); 1M entries keep ~1k checkpoints. */
export const STRIDE = 1024;

/**
 * Listings whose checkpoints are kept per connection (a grid's sort and filter, a few others, and the filter totals
 * of filter-totals.ts); least recent dropped. At 1M entries one holds ~1k checkpoints, tens of kB.
 */
const MAX_INDEXES = 128;

interface Carried {
  index: RankIndex;
  mark: ChangeMark;
}

const carried = new WeakMap<Db, Map<string, Carried>>();

/** What a rank's checkpoints were: walked anew, carried over unchanged, or repaired after writes. */
export type RankIndexFate = 'built' | 'unchanged' | 'repaired';
const fates = new WeakMap<Db, Record<RankIndexFate, number>>();

/** How often ranks on this connection found their checkpoints each way, so far (tests and the grid bench read it). */
export function rankIndexFates(db: Db): Record<RankIndexFate, number> {
  return { ...(fates.get(db) ?? { built: 0, unchanged: 0, repaired: 0 }) };
}

function count(db: Db, fate: RankIndexFate): void {
  let counts = fates.get(db);
  if (!counts) fates.set(db, (counts = { built: 0, unchanged: 0, repaired: 0 }));
  counts[fate] += 1;
}

/** The walk's checkpoints for this filter and direction, brought up to date with the catalogue. */
function currentIndex(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, stride: number): RankIndex {
  // Inside a transaction a write may still be rolled back (and the log's rows with it): nothing is carried.
  if (db.inTransaction) {
    count(db, 'built');
    return emptyRankIndex();
  }
  ensureChangeLog(db);
  const key = [stride, desc, JSON.stringify(walk), ...filter.where, JSON.stringify(filter.params)].join('\u0000');
  let store = carried.get(db);
  if (!store) carried.set(db, (store = new Map()));
  const now = changeMark(db);
  let entry = store.get(key);
  if (entry && !sameCatalogue(entry.mark, now)) {
    const changed = changesSince(db, entry.mark, now);
    if (changed) {
      repairRanks(db, walk, desc, filter, entry.index, changed, stride);
      entry.mark = now;
      count(db, 'repaired');
    } else entry = undefined;
  } else if (entry) count(db, 'unchanged');
  if (!entry) {
    entry = { index: emptyRankIndex(), mark: now };
    count(db, 'built');
  }
  store.delete(key);
  store.set(key, entry);
  if (store.size > MAX_INDEXES) store.delete(store.keys().next().value!);
  return entry.index;
}

/** Adds checkpoints until the last one is at or past `at` (to the walk's end when `at` is null), or the walk ends. */
function extendTo(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, index: RankIndex, at: Position | null, stride: number) {
  // Without filter terms every entry matches: a chunk's count is its length, no query needed.
  const everyEntry = filter.where.length === 0;
  const reached = () => at !== null && index.checkpoints.length > 0 && !comesBefore(desc, index.checkpoints.at(-1)!, at);
  while (!index.ended && !reached()) {
    const last = index.checkpoints.at(-1) ?? null;
    const next = entryAfter(db, walk, desc, last, stride - 1);
    if (!next) {
      index.ended = true;
      break;
    }
    pushChunk(index, next, stride, everyEntry ? stride : countBetween(db, walk, desc, filter, last, next, true));
  }
}

/**
 * The filter's matches strictly before `at` in the walk, read in the given direction. `stride` is the
 * checkpoints' spacing (tests use small ones to cross many checkpoints on a small catalogue).
 */
export function rankInWalk(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, at: Position, stride = STRIDE): number {
  const index = currentIndex(db, walk, desc, filter, stride);
  extendTo(db, walk, desc, filter, index, at, stride);
  // The last checkpoint strictly before `at` (-1 when none).
  const before = chunkOf(index, desc, at) - 1;
  if (before < 0) return countBetween(db, walk, desc, filter, null, at, false);
  return index.matchesUpTo[before]! + countBetween(db, walk, desc, filter, index.checkpoints[before]!, at, false);
}

/** The filter's matches anywhere in the walk: its checkpoints taken to the end, carried across writes like a rank's. */
export function matchesInWalk(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, stride = STRIDE): number {
  const index = currentIndex(db, walk, desc, filter, stride);
  if (index.total !== null) return index.total;
  extendTo(db, walk, desc, filter, index, null, stride);
  const last = index.checkpoints.at(-1) ?? null;
  return (index.total = (index.matchesUpTo.at(-1) ?? 0) + countBetween(db, walk, desc, filter, last, null, false));
}
