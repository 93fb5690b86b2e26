// Values derived from the catalogue that stay valid until it changes (a filter's count, its matching ids): computed
// once per catalogue version instead of on every page or query.
import type { Db } from './database';
import { parseCount } from './parse-rows';
import { cachedStatement } from './statement-cache';

/** Few filters are live at once (the grid's, a search or two); the oldest is dropped past this. */
const MAX_ENTRIES = 16;

interface Cache {
  version: string;
  values: Map<string, unknown>;
}

const caches = new WeakMap<Db, Cache>();

/**
 * What changes whenever any row does: data_version moves on commits by other connections, total_changes() on
 * this connection's own writes. Both are O(1).
 */
function catalogueVersion(db: Db): string {
  // Prepared once: this runs two or three times for every grid page, and preparing costs more than reading.
  const other = parseCount(cachedStatement(db, 'PRAGMA data_version').pluck().get(), 'data_version');
  const own = parseCount(cachedStatement(db, 'SELECT total_changes()').pluck().get(), 'total_changes()');
  return `${other}:${own}`;
}

/** `compute()`, remembered under `key` until the catalogue changes. */
export function untilCatalogueChanges<T>(db: Db, key: string, compute: () => T): T {
  const version = catalogueVersion(db);
  let cache = caches.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, values: new Map() };
    caches.set(db, cache);
  }
  if (cache.values.has(key)) return cache.values.get(key) as T;
  const value = compute();
  if (cache.values.size >= MAX_ENTRIES) cache.values.delete(cache.values.keys().next().value!);
  cache.values.set(key, value);
  return value;
}

/** `SELECT count(*) <from>` with these parameters, counted once per catalogue version. */
export function countOnce(db: Db, from: string, params: Record<string, unknown>): number {
  return untilCatalogueChanges(db, `count\u0000${from}\u0000${JSON.stringify(params)}`, () =>
    parseCount(db.prepare(`SELECT count(*) ${from}`).pluck().get(params), 'filter count'),
  );
}
