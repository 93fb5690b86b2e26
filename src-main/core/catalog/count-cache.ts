// Counts that stay valid until the catalogue changes: the grid asks for its filter's total with every page, and
// count(*) over a million rows costs tens of milliseconds, so it is computed once per filter and version.
import type { Db } from './database';

/** Few filters are live at once (the grid's, a view or two); the oldest is dropped past this. */
const MAX_ENTRIES = 64;

interface Cache {
  version: string;
  counts: Map<string, number>;
}

const caches = new WeakMap<Db, Cache>();

/**
 * What changes whenever any row does: data_version moves on commits by other connections, total_changes() on
 * this connection's own writes. Both are O(1).
 */
function catalogueVersion(db: Db): string {
  const other = db.pragma('data_version', { simple: true }) as number;
  const own = db.prepare('SELECT total_changes()').pluck().get() as number;
  return `${other}:${own}`;
}

/** `SELECT count(*) <from>` with these parameters, counted once per catalogue version. */
export function countOnce(db: Db, from: string, params: Record<string, unknown>): number {
  const version = catalogueVersion(db);
  let cache = caches.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, counts: new Map() };
    caches.set(db, cache);
  }
  const key = `${from}\u0000${JSON.stringify(params)}`;
  const known = cache.counts.get(key);
  if (known !== undefined) return known;
  const count = (db.prepare(`SELECT count(*) ${from}`).pluck().get(params) as number) ?? 0;
  if (cache.counts.size >= MAX_ENTRIES) cache.counts.delete(cache.counts.keys().next().value!);
  cache.counts.set(key, count);
  return count;
}
