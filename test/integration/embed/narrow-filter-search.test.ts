// Search with a narrow filter: the exact route over the filter's packed vectors returns what an exact scan of the
// matching vectors returns, in order; its candidates are packed once per catalogue version and again after a change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestImages } from '../../../src-main/core/embed/search-images';
import { emptyTrace } from '../../../src-main/core/embed/search-route';
import type { Library } from '../../../src-main/core/library';
import { exactTopK } from '../../../src-main/core/vector/top-k';
import { seededRandom } from '../../fixtures/synthetic-photos';
import { exactTopTenAmong, libraryWithRandomVectors, unit } from '../../fixtures/random-vectors';

const DIM = 24;
const N = 3_000;
const MODEL = 'test/narrow-filter';
/** Queries draw from their own stream (the library's vectors from seed 5). */
const rnd = seededRandom(105);

let lib: Library;
let cleanup: () => Promise<void>;
let ids: number[];
let vectors: Float32Array;
/** Image ids labelled Amanita muscaria: every 50th image, 2 % of the library. */
const amanita = new Set<number>();

beforeAll(() => {
  ({ lib, cleanup, ids, vectors } = libraryWithRandomVectors({ prefix: 'narrow', n: N, dim: DIM, model: MODEL, seed: 5 }));
  const label = lib.db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, ?, 'species', 'source_claimed')`);
  lib.db.transaction(() => {
    ids.forEach((id, i) => {
      if (i % 50 === 0) amanita.add(id);
      label.run(id, i % 50 === 0 ? 'Amanita muscaria' : 'Trametes versicolor');
    });
  })();
});

afterAll(async () => {
  await cleanup();
});

/** The exact top 10 of the Amanita images, by a float64 JavaScript scan. */
function exactAmanita(query: Float32Array): number[] {
  return exactTopTenAmong({ ids, vectors }, DIM, (i) => amanita.has(ids[i]!), query);
}

describe('search with a narrow filter', () => {
  it('scans the matching vectors exactly: the same ten images in the same order as an exact scan', async () => {
    for (let q = 0; q < 20; q++) {
      const query = unit(Float32Array.from({ length: DIM }, () => rnd() * 2 - 1));
      const trace = emptyTrace();
      const hits = await nearestImages(lib, MODEL, query, { limit: 10, taxon: 'Amanita muscaria' }, { trace });
      expect(trace).toMatchObject({ route: 'exact', candidates: amanita.size, scanned: amanita.size, ef: null, filterCalls: 0 });
      expect(hits.map((h) => h.imageId)).toEqual(exactAmanita(query));
    }
  });

  it('packs the candidates once per catalogue version, and again after a change', async () => {
    const query = unit(Float32Array.from({ length: DIM }, () => rnd() * 2 - 1));
    const filters = { limit: 10, taxon: 'Amanita muscaria' };
    const trace = emptyTrace();
    await nearestImages(lib, MODEL, query, filters, { trace });
    expect(trace.cached).toBe(true);
    // Label the image nearest to the query (not yet an Amanita) as one: the next query must see it first.
    const nearest = exactTopK(vectors, ids, DIM, query, N).find((n) => !amanita.has(n.imageId))!.imageId;
    lib.db.prepare(`UPDATE label SET taxon = 'Amanita muscaria' WHERE image_id = ?`).run(nearest);
    amanita.add(nearest);
    const hits = await nearestImages(lib, MODEL, query, filters, { trace });
    expect(trace).toMatchObject({ route: 'exact', cached: false, candidates: amanita.size, scanned: amanita.size });
    expect(hits[0]!.imageId).toBe(nearest);
    expect(hits.map((h) => h.imageId)).toEqual(exactAmanita(query));
  });
});
