// Values cached until the catalogue changes: few entries, and the large ones (a filter's packed vectors, its allowed
// ids) within a byte budget, least recently used dropped first, never the value just computed.
import { afterEach, describe, expect, it } from 'vitest';
import {
  cachedBytes,
  carriedAcrossChanges,
  MAX_CACHED_BYTES,
  untilCatalogueChanges,
} from '../../../../src-main/core/catalog/version-cache';
import { openTempCatalog } from '../../../fixtures/temp-library';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function catalog() {
  const c = openTempCatalog();
  cleanup = c.cleanup;
  return c.db;
}

let writes = 0;
/** Any write moves the catalogue's version. */
function write(db: ReturnType<typeof catalog>) {
  db.prepare(`INSERT OR REPLACE INTO setting (key, value) VALUES ('x', ?)`).run(String(++writes));
}

describe('untilCatalogueChanges', () => {
  it('computes once per catalogue version and again after a write', () => {
    const db = catalog();
    let computed = 0;
    const read = () => untilCatalogueChanges(db, 'k', () => ++computed);
    expect([read(), read()]).toEqual([1, 1]);
    db.prepare(`INSERT INTO setting (key, value) VALUES ('x', '1')`).run();
    expect(read()).toBe(2);
  });

  it('holds sized values within the byte budget, dropping the least recently used', () => {
    const db = catalog();
    const quarter = Math.floor(MAX_CACHED_BYTES / 4) + 1;
    const computed: string[] = [];
    const get = (key: string) =>
      untilCatalogueChanges(
        db,
        key,
        () => (computed.push(key), key),
        () => quarter,
      );
    for (const key of ['a', 'b', 'c']) get(key);
    get('a'); // used again: 'b' is now the least recently used
    get('d'); // four quarters and a bit: one must go
    expect(cachedBytes(db)).toBeLessThanOrEqual(MAX_CACHED_BYTES);
    computed.length = 0;
    for (const key of ['a', 'c', 'd']) get(key);
    expect(computed).toEqual([]);
    get('b');
    expect(computed).toEqual(['b']);
  });

  it('keeps the newest value even when it alone is over the budget', () => {
    const db = catalog();
    let computed = 0;
    const huge = () =>
      untilCatalogueChanges(
        db,
        'huge',
        () => ++computed,
        () => MAX_CACHED_BYTES * 2,
      );
    huge();
    huge();
    expect(computed).toBe(1);
  });
});

describe('carriedAcrossChanges', () => {
  it('hands a build the value built for an earlier version, and none inside a transaction', () => {
    const db = catalog();
    const seen: (number | undefined)[] = [];
    let built = 0;
    const read = () => carriedAcrossChanges<number>(db, 'k', (previous) => (seen.push(previous), ++built));
    expect([read(), read()]).toEqual([1, 1]);
    write(db);
    expect(read()).toBe(2);
    // Inside a transaction nothing is carried or kept: a rollback would take back what the value was built on.
    expect(db.transaction(() => read())()).toBe(3);
    write(db);
    expect(read()).toBe(4);
    expect(seen).toEqual([undefined, 1, undefined, 2]);
  });

  it('holds carried values and current ones within the one byte budget', () => {
    const db = catalog();
    const big = Math.floor(MAX_CACHED_BYTES * 0.6);
    const build = (key: string) =>
      carriedAcrossChanges<{ previous: unknown }>(
        db,
        key,
        (previous) => ({ previous }),
        () => big,
      );
    build('a');
    write(db);
    build('b'); // a's value, kept to carry from, and b's would hold 1.2 budgets: a's goes
    expect(cachedBytes(db)).toBeLessThanOrEqual(MAX_CACHED_BYTES);
    write(db);
    expect(build('b').previous).toBeDefined();
    expect(build('a').previous).toBeUndefined();
  });
});
