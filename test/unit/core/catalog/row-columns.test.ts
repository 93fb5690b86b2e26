// The cheap per-column row checks (for queries that stream a million rows) and the id, text and JSON-column parses:
// a wrong value is an INTERNAL error naming the query and the column, as the zod row parses say it.
import { describe, expect, it } from 'vitest';
import { parseIds, parseJsonColumn, parseTexts } from '../../../../src-main/core/catalog/parse-rows';
import {
  blob,
  boolean,
  flag,
  integer,
  nullable,
  objectRowChecker,
  oneOf,
  rawRowChecker,
  real,
  text,
} from '../../../../src-main/core/catalog/row-columns';
import { readSetting, writeSetting } from '../../../../src-main/core/catalog/setting-repository';
import * as z from 'zod';
import { openTempCatalog } from '../../../fixtures/temp-library';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  return null;
};

describe('checked rows', () => {
  const check = rawRowChecker('export', [
    ['imageId', integer],
    ['rank', oneOf(['genus', 'species'])],
    ['license', nullable(text)],
    ['quality', real],
  ]);

  it('passes a row of the expected shape through unchanged', () => {
    const row = [7, 'species', null, 61.5];
    expect(check(row)).toBe(row);
    expect(objectRowChecker('vector', { id: integer, vector: blob })({ id: 1, vector: Buffer.from([1, 2]) })).toEqual({
      id: 1,
      vector: Buffer.from([1, 2]),
    });
  });

  it('names the query and the column of a wrong value, a NULL where none is allowed, an unknown enum value or a short row', () => {
    expect(thrown(() => check([7.5, 'species', null, 1]))).toMatchObject({
      code: 'INTERNAL',
      message: "the catalogue's export row does not have the expected shape at imageId: expected an integer, received number 7.5",
    });
    expect(thrown(() => check([7, 'Species', null, 1]))).toMatchObject({
      message: expect.stringMatching(/at rank: expected one of genus, species/),
    });
    expect(thrown(() => check([7, 'genus', 3, 1]))).toMatchObject({
      message: expect.stringMatching(/at license: expected a text or NULL, received number 3/),
    });
    expect(thrown(() => check([7, 'genus', null, null]))).toMatchObject({
      message: expect.stringMatching(/at quality: expected a number, received NULL/),
    });
    expect(thrown(() => check([7, 'genus']))).toMatchObject({ message: expect.stringMatching(/expected 4 columns, received 2/) });
    // PostgreSQL's rows (the push's server rows) carry booleans; SQLite's 0/1 is not one.
    const serverRow = rawRowChecker('server image row', [['has_claim', boolean]]);
    expect(serverRow([false])).toEqual([false]);
    expect(thrown(() => serverRow([0]))).toMatchObject({
      message: expect.stringMatching(/at has_claim: expected a boolean, received number 0/),
    });
    // SQLite's 0/1 flags (is_hq): nothing else passes.
    const flagRow = rawRowChecker('image page', [['is_hq', flag]]);
    expect(flagRow([1])).toEqual([1]);
    expect(thrown(() => flagRow([2]))).toMatchObject({ message: expect.stringMatching(/at is_hq: expected 0 or 1, received number 2/) });
    expect(thrown(() => flagRow([true]))).toMatchObject({ message: expect.stringMatching(/at is_hq: expected 0 or 1/) });
    expect(thrown(() => objectRowChecker('vector', { vector: blob })({ vector: 'abc' }))).toMatchObject({
      message: expect.stringMatching(/vector row .* at vector: expected a blob/),
    });
  });

  it('checks plucked ids and texts, and JSON columns (malformed text or shape named)', () => {
    expect(parseIds([1, 2, 3], 'cluster members')).toEqual([1, 2, 3]);
    expect(thrown(() => parseIds([1, '2'], 'cluster members'))).toMatchObject({
      message: expect.stringMatching(/cluster members row .* at 1: expected an integer id/),
    });
    expect(thrown(() => parseTexts(['/a.jpg', null], 'image paths'))).toMatchObject({
      message: expect.stringMatching(/image paths row .* at 1/),
    });
    const list = z.array(z.string());
    expect(parseJsonColumn(list, '["CC0"]', 'setting license_allow_list')).toEqual(['CC0']);
    expect(thrown(() => parseJsonColumn(list, '["CC0"', 'setting license_allow_list'))).toMatchObject({
      message: expect.stringMatching(/license_allow_list row .*: not JSON: \["CC0"/),
    });
    expect(thrown(() => parseJsonColumn(list, '[1]', 'setting license_allow_list'))).toMatchObject({
      message: expect.stringMatching(/at 0: .*expected string/),
    });
  });

  it('reads and writes settings through one repository', () => {
    const { db, cleanup } = openTempCatalog();
    try {
      expect(readSetting(db, 'duplicate_threshold')).toBeUndefined();
      writeSetting(db, 'duplicate_threshold', '8');
      const changes = db.prepare('SELECT total_changes()').pluck().get();
      // Writing the same value again writes nothing (caches keyed on the catalogue version stay valid).
      writeSetting(db, 'duplicate_threshold', '8');
      expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changes);
      expect(readSetting(db, 'duplicate_threshold')).toBe('8');
    } finally {
      cleanup();
    }
  });
});
