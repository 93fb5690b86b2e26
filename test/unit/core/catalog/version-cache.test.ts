// Values cached until the catalogue changes: few entries, and the large ones (a filter's packed vectors, its allowed
// ids) within a byte budget, least recently used dropped first, never the value just computed.
import { afterEach, describe, expect, it } from 'vitest';
import { cachedBytes, MAX_CACHED_BYTES, untilCatalogueChanges } from '../../../../src-main/core/catalog/version-cache';
import { openTempCatalog } from '../../../fixtures/temp-library';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function catalog() {
  const c = openTempCatalog();
  cleanup = c.cleanup;
  return c.db;
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
