// Prepared statements kept per connection and SQL text, for queries run on every page or keystroke: preparing
// parses and plans the SQL each time (tens of microseconds for a grid page's), which is more than a short query's
// own work. Texts are built from a query's shape (sort, direction, which filters), never from values, so few exist.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/** Shapes in use at once are few (a grid's sorts x filters); past this the oldest is dropped. */
const MAX_STATEMENTS = 64;

const caches = new WeakMap<Db, Map<string, Statement>>();

/** `db.prepare(sql)`, once per connection and text. Callers set the mode they read with (`.raw()`) on each use. */
export function cachedStatement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
  }
  return statement;
}
