// Rows are parsed once at the query: a row of the wrong shape is an INTERNAL error naming the query and the column.
import { describe, expect, it } from 'vitest';
import { computeLibraryStats } from '../../../../src-main/core/catalog/library-stats';
import { parseCount, parseRow } from '../../../../src-main/core/catalog/parse-rows';
import { getImageDetail, summaryRowSchema } from '../../../../src-main/core/catalog/image-queries';
import { SporeprintError } from '../../../../src-main/core/errors';
import { openTempCatalog } from '../../../fixtures/temp-library';

const summary = {
  id: 1,
  sha256: 'ab'.repeat(32),
  width: 640,
  height: 480,
  format: 'jpeg',
  file_size: 1000,
  quality_score: 71.5,
  is_hq: 0,
  license: null,
  taxon: null,
  state: null,
  cluster_id: null,
  primary_path: '/photos/a.jpg',
};

describe('parsed catalogue rows', () => {
  it('accepts a row of the expected shape and keeps its values', () => {
    expect(parseRow(summaryRowSchema, summary, 'image summary')).toEqual(summary);
    expect(parseRow(summaryRowSchema, undefined, 'image summary')).toBeUndefined();
  });

  it('refuses an unknown enum value, a NULL where none is allowed, or a non-count, naming the query and column', () => {
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err;
      }
      return null;
    };
    const badFormat = fail(() => parseRow(summaryRowSchema, { ...summary, format: 'bmp' }, 'image summary'));
    expect(badFormat).toBeInstanceOf(SporeprintError);
    expect(badFormat).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/image summary row .* at format/) });
    expect(fail(() => parseRow(summaryRowSchema, { ...summary, sha256: null }, 'image summary'))).toMatchObject({
      message: expect.stringMatching(/at sha256/),
    });
    expect(fail(() => parseCount('12', 'image count'))).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/image count/) });
  });

  it('reads stats and a missing image through the parsed queries of a real catalogue', () => {
    const { db, cleanup } = openTempCatalog();
    try {
      expect(computeLibraryStats(db)).toMatchObject({
        images: 0,
        hq: 0,
        labelStates: { unlabelled: 0 },
        qualityHistogram: Array(10).fill(0),
      });
      expect(() => getImageDetail(db, 42)).toThrow(/no image with id 42/);
    } finally {
      cleanup();
    }
  });
});
