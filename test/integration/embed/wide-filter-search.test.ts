// Filtered search over a wide filter (half the images): the over-fetch of unfiltered neighbours, the exact scan when
// the over-fetch finds too few, the int8 scan with its rescoring, and the graph walk with the filter all give the
// exact answer. The routes are forced: at 8
// dimensions the exact scan's byte budget would take any filter this test can build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestImages } from '../../../src-main/core/embed/search-images';
import { emptyTrace } from '../../../src-main/core/embed/search-route';
import type { Library } from '../../../src-main/core/library';
import { seededRandom } from '../../fixtures/synthetic-photos';
import { exactTopTenAmong, libraryWithRandomVectors, unit } from '../../fixtures/random-vectors';

const DIM = 8;
const N = 16_000;
const MODEL = 'test/wide-filter';

let lib: Library;
let cleanup: () => Promise<void>;
let ids: number[];
let vectors: Float32Array;
/** Queries draw from their own stream (the library's vectors from seed 11). */
const rnd = seededRandom(111);

beforeAll(() => {
  ({ lib, cleanup, ids, vectors } = libraryWithRandomVectors({ prefix: 'wide', n: N, dim: DIM, model: MODEL, seed: 11 }));
  // Every image whose first coordinate is negative is verified (about half): a wide filter.
  const label = lib.db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, 'Amanita muscaria', 'species', ?)`);
  lib.db.transaction(() => {
    ids.forEach((id, i) => label.run(id, vectors[i * DIM]! < 0 ? 'human_verified' : 'source_claimed'));
  })();
});

afterAll(async () => {
  await cleanup();
});

/** The exact filtered top 10: a scan of the verified images' vectors. */
function exactVerified(query: Float32Array): number[] {
  return exactTopTenAmong({ ids, vectors }, DIM, (i) => vectors[i * DIM]! < 0, query);
}

describe('search with a wide filter', () => {
  it('returns the exact filtered neighbours of queries among the matching images (over-fetch suffices)', async () => {
    let found = 0;
    for (let q = 0; q < 10; q++) {
      const query = unit(Float32Array.from({ length: DIM }, (_, d) => (d === 0 ? -2 : 0) + rnd() * 2 - 1));
      const trace = emptyTrace();
      const hits = await nearestImages(lib, MODEL, query, { limit: 10, labelState: 'human_verified' }, { route: 'over-fetch', trace });
      expect(trace.route).toBe('over-fetch');
      expect(hits).toHaveLength(10);
      const exact = new Set(exactVerified(query));
      found += hits.filter((h) => exact.has(h.imageId)).length;
    }
    expect(found).toBeGreaterThanOrEqual(98);
  });

  it('still returns the filtered neighbours when none of the unfiltered ones pass (exact scan after the over-fetch)', async () => {
    // Far on the positive side of the first coordinate: the nearest hundreds of images all fail the filter.
    const query = unit(Float32Array.from({ length: DIM }, (_, d) => (d === 0 ? 1 : 0)));
    const unfiltered = await nearestImages(lib, MODEL, query, { limit: 256 });
    const verified = new Set(ids.filter((_, i) => vectors[i * DIM]! < 0));
    expect(unfiltered.filter((n) => verified.has(n.imageId)).length).toBeLessThan(10);
    const trace = emptyTrace();
    const hits = await nearestImages(lib, MODEL, query, { limit: 10, labelState: 'human_verified' }, { route: 'over-fetch', trace });
    expect(trace).toMatchObject({ route: 'over-fetch+exact', scanned: verified.size });
    expect(hits.map((h) => h.imageId)).toEqual(exactVerified(query));
  });

  it('the int8 scan returns the exact neighbours in order, rescoring only the few rows its bounds keep', async () => {
    const verified = ids.filter((_, i) => vectors[i * DIM]! < 0).length;
    for (let q = 0; q < 10; q++) {
      const query = unit(Float32Array.from({ length: DIM }, (_, d) => (d === 0 ? -2 : 0) + rnd() * 2 - 1));
      const trace = emptyTrace();
      const hits = await nearestImages(lib, MODEL, query, { limit: 10, labelState: 'human_verified' }, { route: 'quantized', trace });
      expect(trace).toMatchObject({ route: 'quantized', scanned: verified, ef: null, filterCalls: 0 });
      expect(trace.rescored).toBeGreaterThanOrEqual(10);
      expect(trace.rescored).toBeLessThan(verified / 10);
      expect(hits.map((h) => h.imageId)).toEqual(exactVerified(query));
    }
  });

  it('the walk with the filter finds them too, for filters too large to scan', async () => {
    const query = unit(Float32Array.from({ length: DIM }, (_, d) => (d === 0 ? 1 : 0)));
    const trace = emptyTrace();
    const hits = await nearestImages(lib, MODEL, query, { limit: 10, labelState: 'human_verified' }, { route: 'filter-walk', trace });
    expect(trace.route).toBe('filter-walk');
    expect(trace.filterCalls).toBeGreaterThan(10);
    expect(hits.map((h) => h.imageId).sort()).toEqual(exactVerified(query).sort());
  });
});
