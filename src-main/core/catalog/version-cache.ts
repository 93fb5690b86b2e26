// Values derived from the catalogue that stay valid until it changes (a filter's count, its matching ids): computed
// once per catalogue version instead of on every page or query.
import { ByteBudgetCache } from '../byte-budget-cache';
import type { Db } from './database';
import { parseCount } from './parse-rows';
import { cachedStatement } from './statement-cache';

/** Few filters are live at once (the grid's, a search or two); the least recently used is dropped past this. */
const MAX_ENTRIES = 16;
/**
 * Bytes that sized values (a filter's packed vectors: up to 12k x 512 floats, 25 MB, or 256k x 512 int8, 131 MB)
 * may hold together: sixteen filters at that size would hold 2 GB. Past it the least recently used are dropped (the newest always stays).
 */
export const MAX_CACHED_BYTES = 256 * 1024 * 1024;

/** A value and the catalogue version it was built for. */
interface Versioned<T = unknown> {
  version: string;
  value: T;
}

/**
 * Per connection, the last value built under each key, whatever version it was built for: the current version's
 * values are answers, older ones what a value may be carried from (see carriedAcrossChanges). One budget holds both.
 */
const caches = new WeakMap<Db, ByteBudgetCache<string, Versioned>>();

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

function cacheOf(db: Db): ByteBudgetCache<string, Versioned> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new ByteBudgetCache(MAX_CACHED_BYTES, MAX_ENTRIES);
    caches.set(db, cache);
  }
  return cache;
}

/**
 * `build(previous)`, remembered under `key` until the catalogue changes. After a change, `previous` is the value
 * last built under `key` for an earlier version (or undefined), which `build` may carry from instead of starting over
 * (a search filter's allowed ids and scan rows: embed/carried-allowed-ids.ts, embed/carried-scan-rows.ts); `build`
 * must tell for itself whether that is sound. `bytesOf` gives a large value's size, so that current and carried
 * values together stay within MAX_CACHED_BYTES.
 */
export function carriedAcrossChanges<T>(db: Db, key: string, build: (previous: T | undefined) => T, bytesOf?: (value: T) => number): T {
  // A rollback takes a transaction's writes back but not total_changes(): what it saw would outlive it.
  if (db.inTransaction) return build(undefined);
  const version = catalogueVersion(db);
  const cache = cacheOf(db);
  // Stored under `key` by a call that built a T for it: the caller's type for that key.
  const kept = cache.peek(key) as Versioned<T> | undefined;
  if (kept?.version === version) {
    cache.use(key);
    return kept.value;
  }
  const value = build(kept?.value);
  cache.put(key, { version, value }, bytesOf?.(value) ?? 0);
  return value;
}

/**
 * `compute()`, remembered under `key` until the catalogue changes; `bytesOf` gives a large value's size, so that
 * the cache stays within MAX_CACHED_BYTES.
 */
export function untilCatalogueChanges<T>(db: Db, key: string, compute: () => T, bytesOf?: (value: T) => number): T {
  return carriedAcrossChanges(db, key, () => compute(), bytesOf);
}

/** Bytes the values cached for this catalogue hold (those given a size). */
export function cachedBytes(db: Db): number {
  return caches.get(db)?.heldBytes ?? 0;
}

/** `SELECT count(*) <from>` with these parameters, counted once per catalogue version. */
export function countOnce(db: Db, from: string, params: Record<string, unknown>): number {
  return untilCatalogueChanges(db, `count\u0000${from}\u0000${JSON.stringify(params)}`, () =>
    parseCount(db.prepare(`SELECT count(*) ${from}`).pluck().get(params), 'filter count'),
  );
}
