// A search filter's allowed image ids, carried over this connection's writes: the images a write touched are logged
// (catalog/rank-changes.ts, the log the grid's rank checkpoints repair from), so after a label decision only those
// are checked against the filter again, instead of the whole filter's query (at 1M images a genus of 100k photos is
// ~0.5 s of CPU: a scan of the taxon index and a lookup per match). Another connection's commit, a log that dropped
// rows, a read-only connection or a transaction fall back to the query.
import type { Db } from '../catalog/database';
import { changeMark, changesSince, ensureChangeLog, type ChangeMark } from '../catalog/rank-changes';

/** A filter's allowed ids and where the change log stood when they were found (null where none is kept). */
export interface AllowedIds {
  ids: Set<number>;
  mark: ChangeMark | null;
  /** How many ids were checked again to carry them, or null when the whole query ran. */
  rechecked: number | null;
}

/** ~32 bytes per entry of V8's hash set of small integers: 1M allowed ids hold ~32 MB. */
export const bytesOfIds = (ids: Set<number>): number => ids.size * 32;

/**
 * The allowed ids now: `previous` (the last answer for the same filter, kept by the version cache) with the images
 * written since checked again by `recheck` (it returns those of them that pass), or `queryAll()`'s when the writes
 * since cannot be told.
 */
export function carryAllowedIds(
  db: Db,
  previous: AllowedIds | undefined,
  queryAll: () => Set<number>,
  recheck: (ids: number[]) => number[],
): AllowedIds {
  if (db.inTransaction || !ensureChangeLog(db)) return { ids: queryAll(), mark: null, rechecked: null };
  const now = changeMark(db);
  const changed = previous?.mark ? changesSince(db, previous.mark, now) : null;
  if (!previous || !changed) return { ids: queryAll(), mark: now, rechecked: null };
  // A copy: the previous set may still be held by scan rows built from it (carried-scan-rows.ts).
  const ids = new Set(previous.ids);
  const touched = [...changed.keys()];
  for (const id of touched) ids.delete(id);
  for (const id of touched.length ? recheck(touched) : []) ids.add(id);
  return { ids, mark: now, rechecked: touched.length };
}
