// Rank checkpoints carried across a write (listing-ranks.ts): a write moves only the chunks (the stretches between
// two checkpoints) that hold an image it wrote, where the image stood before or stands now. An added image, whose
// place before was nowhere, is counted into its chunk by one lookup; each other written image's chunks are counted
// again, at most 2 x STRIDE entries each, and a chunk grown past that is walked again into STRIDE-sized ones. So the
// first step after a label decision, a re-score or a deletion costs a few chunk counts, not a walk from the start.
import type { Db } from './database';
import type { ChangedImage } from './rank-changes';
import { comesBefore, countBetween, entryAfter, EVERY_ENTRY, placesNow, type Filter, type IndexWalk, type Position } from './rank-walk';

/** The checkpoints of one walk, filter and direction, extended as deeper ranks are asked. */
export interface RankIndex {
  checkpoints: Position[];
  /** Per chunk j, the walk's entries after checkpoint j-1 (or the start) up to and including checkpoint j. */
  entries: number[];
  /** The filter's matches among those entries. */
  matches: number[];
  /** matchesUpTo[j]: the filter's matches up to and including checkpoint j (the sum of matches[0..j]). */
  matchesUpTo: number[];
  /** No STRIDE entries are left past the last checkpoint (the walk ended there or within a chunk's length after). */
  ended: boolean;
  /** The filter's matches in the whole walk, once counted (until the next write that changes the walk). */
  total: number | null;
}

export const emptyRankIndex = (): RankIndex => ({ checkpoints: [], entries: [], matches: [], matchesUpTo: [], ended: false, total: null });

/** The index of the chunk holding `at` (the first checkpoint at or after it), or checkpoints.length past the last. */
export function chunkOf(index: RankIndex, desc: boolean, at: Position): number {
  let lo = -1;
  let hi = index.checkpoints.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (comesBefore(desc, index.checkpoints[mid]!, at)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Appends a chunk that ends at `at`. */
export function pushChunk(index: RankIndex, at: Position, entries: number, matches: number): void {
  index.checkpoints.push(at);
  index.entries.push(entries);
  index.matches.push(matches);
  index.matchesUpTo.push((index.matchesUpTo.at(-1) ?? 0) + matches);
}

interface Chunk {
  at: Position;
  entries: number;
  matches: number;
}

/** The walk's entries in (lo, hi] as chunks of at most 2 x stride entries (none when the stretch is empty). */
function chunksBetween(db: Db, walk: IndexWalk, desc: boolean, filter: Filter, lo: Position | null, hi: Position, stride: number): Chunk[] {
  const everyEntry = filter.where.length === 0;
  const matchesBetween = (from: Position | null, to: Position, entries: number) =>
    everyEntry ? entries : countBetween(db, walk, desc, filter, from, to, true);
  /** The rest of the stretch, from `from` to hi, as one chunk. */
  const upToHi = (from: Position | null, entries: number): Chunk[] =>
    entries === 0 ? [] : [{ at: hi, entries, matches: matchesBetween(from, hi, entries) }];
  const entries = countBetween(db, walk, desc, EVERY_ENTRY, lo, hi, true);
  if (entries <= 2 * stride) return upToHi(lo, entries);
  const out: Chunk[] = [];
  let from = lo;
  for (;;) {
    const next = entryAfter(db, walk, desc, from, stride - 1);
    if (!next || !comesBefore(desc, next, hi)) return [...out, ...upToHi(from, countBetween(db, walk, desc, EVERY_ENTRY, from, hi, true))];
    out.push({ at: next, entries: stride, matches: matchesBetween(from, next, stride) });
    from = next;
  }
}

/** Brings `index` up to date with the images written since it was last used (see the header). */
export function repairRanks(
  db: Db,
  walk: IndexWalk,
  desc: boolean,
  filter: Filter,
  index: RankIndex,
  changed: Map<number, ChangedImage>,
  stride: number,
): void {
  if (changed.size === 0) return;
  index.total = null;
  if (index.checkpoints.length === 0 && !index.ended) return;
  const now = placesNow(db, walk, filter, [...changed.keys()]);
  const chunks = index.checkpoints.length;
  const dirty = new Set<number>();
  let pastLast = false;
  const touch = (at: Position) => {
    const j = chunkOf(index, desc, at);
    if (j === chunks) pastLast = true;
    else dirty.add(j);
  };
  for (const [id, change] of changed) {
    const place = now.get(id);
    if (change.added) {
      if (!place) continue;
      const j = chunkOf(index, desc, place.at);
      if (j === chunks) {
        pastLast = true;
        continue;
      }
      index.entries[j]! += 1;
      index.matches[j]! += place.matches ? 1 : 0;
      if (index.entries[j]! > 2 * stride) dirty.add(j);
      continue;
    }
    if (place) touch(place.at);
    if (walk.loggedKey === null) touch({ key: id, id });
    else for (const key of change.before[walk.loggedKey]) touch({ key, id });
  }
  // Latest chunk first, so that splicing one leaves the indexes of those before it as they were.
  for (const j of [...dirty].sort((a, b) => b - a)) {
    const pieces = chunksBetween(db, walk, desc, filter, j > 0 ? index.checkpoints[j - 1]! : null, index.checkpoints[j]!, stride);
    index.checkpoints.splice(j, 1, ...pieces.map((c) => c.at));
    index.entries.splice(j, 1, ...pieces.map((c) => c.entries));
    index.matches.splice(j, 1, ...pieces.map((c) => c.matches));
  }
  // Entries past the last checkpoint were never counted; new ones there may make room for more checkpoints.
  if (pastLast) index.ended = false;
  let sum = 0;
  index.matchesUpTo = index.matches.map((m) => (sum += m));
}
