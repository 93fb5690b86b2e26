// A search filter's allowed image ids, carried over this connection's writes: the images a write touched are logged
// (catalog/rank-changes.ts, the log the grid's rank checkpoints repair from), so after a label decision only those
// are checked against the filter again, instead of the whole filter's query (at 1M images a genus of 100k photos is
// ~0.5 s of CPU: a scan of the taxon index and a lookup per match). Another connection's commit, a log that dropped
// rows, a read-only connection or a transaction fall back to the query.
import type { Db } from '../catalog/database';
import { changeMark, changesSince, ensureChangeLog, type ChangeMark } from '../catalog/rank-changes';
import { AcrossVersions } from '../catalog/version-cache';

interface Known {
  ids: Set<number>;
  mark: ChangeMark;
}

/** ~32 bytes per entry of V8's hash set of small integers: 1M allowed ids hold ~32 MB. */
export const bytesOfIds = (ids: Set<number>): number => ids.size * 32;

const last = new AcrossVersions<Known>();

/**
 * The ids under `key` (which names the filter): the last answer with the images written since checked again by
 * `recheck` (it returns those of them that pass), or `queryAll()`'s when the writes since cannot be told.
 * `rechecked` is how many were checked again, or null when the whole query ran.
 */
export function carriedAllowedIds(
  db: Db,
  key: string,
  queryAll: () => Set<number>,
  recheck: (ids: number[]) => number[],
): { ids: Set<number>; rechecked: number | null } {
  if (db.inTransaction || !ensureChangeLog(db)) return { ids: queryAll(), rechecked: null };
  const cache = last.of(db);
  const now = changeMark(db);
  const previous = cache.peek(key);
  const changed = previous ? changesSince(db, previous.mark, now) : null;
  let ids: Set<number>;
  let rechecked: number | null = null;
  if (previous && changed) {
    // A copy: the previous set may still be held by scan rows built from it (carried-scan-rows.ts).
    ids = new Set(previous.ids);
    const touched = [...changed.keys()];
    for (const id of touched) ids.delete(id);
    for (const id of touched.length ? recheck(touched) : []) ids.add(id);
    rechecked = touched.length;
  } else ids = queryAll();
  cache.put(key, { ids, mark: now }, bytesOfIds(ids));
  return { ids, rechecked };
}
