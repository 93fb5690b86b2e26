// Statements prepared once per connection and SQL text: the same text gives the same statement on one connection,
// another connection gets its own, and a statement read raw by one caller still reads objects when asked.
import { describe, expect, it } from 'vitest';
import { cachedStatement } from '../../../../src-main/core/catalog/statement-cache';
import { openTempCatalog } from '../../../fixtures/temp-library';

describe('cachedStatement', () => {
  it('prepares a text once per connection', () => {
    const a = openTempCatalog();
    const b = openTempCatalog();
    try {
      const sql = 'SELECT 1 AS one';
      const first = cachedStatement(a.db, sql);
      expect(cachedStatement(a.db, sql)).toBe(first);
      expect(cachedStatement(a.db, 'SELECT 2 AS two')).not.toBe(first);
      expect(cachedStatement(b.db, sql)).not.toBe(first);
      expect(first.raw(true).get()).toEqual([1]);
      expect(cachedStatement(a.db, sql).raw(false).get()).toEqual({ one: 1 });
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });
});
