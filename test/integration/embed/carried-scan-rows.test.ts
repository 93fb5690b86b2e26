// A filter's allowed ids and scan rows are carried over catalogue changes that write no vector: after a label
// decision the next search checks only the images the write touched against the filter and reads only the newly
// allowed images' vectors (not every allowed image's again), and still answers exactly; a vector written on this
// connection makes it read every vector again, and a commit by another connection runs the filter's query too.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../src-main/core/catalog/database';
import { storeVectors } from '../../../src-main/core/embed/embed-images';
import { nearestImages } from '../../../src-main/core/embed/search-images';
import { emptyTrace } from '../../../src-main/core/embed/search-route';
import type { Library } from '../../../src-main/core/library';
import { CATALOG_FILE } from '../../../src-main/core/library-paths';
import { exactTopTenAmong, libraryWithRandomVectors, unit } from '../../fixtures/random-vectors';
import { seededRandom } from '../../fixtures/synthetic-photos';

const DIM = 8;
const N = 3_000;
const MODEL = 'test/carried';

let lib: Library;
let cleanup: () => Promise<void>;
let ids: number[];
let vectors: Float32Array;
/** Whether image i is verified (the filter), kept in step with the label writes below. */
const verified: boolean[] = [];
const rnd = seededRandom(222);

beforeAll(() => {
  ({ lib, cleanup, ids, vectors } = libraryWithRandomVectors({ prefix: 'carried', n: N, dim: DIM, model: MODEL, seed: 22 }));
  const label = lib.db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, 'Boletus edulis', 'species', ?)`);
  lib.db.transaction(() => {
    ids.forEach((id, i) => {
      verified[i] = i % 3 === 0;
      label.run(id, verified[i] ? 'human_verified' : 'source_claimed');
    });
  })();
});

afterAll(async () => {
  await cleanup();
});

function setState(i: number, state: 'human_verified' | 'source_claimed'): void {
  lib.db.prepare('UPDATE label SET state = ? WHERE image_id = ?').run(state, ids[i]!);
  verified[i] = state === 'human_verified';
}

function vectorOf(i: number): Float32Array {
  return vectors.slice(i * DIM, (i + 1) * DIM);
}

async function search(route: 'exact' | 'quantized', query: Float32Array) {
  const trace = emptyTrace();
  const hits = await nearestImages(lib, MODEL, query, { limit: 10, labelState: 'human_verified' }, { route, trace });
  expect(hits.map((h) => h.imageId)).toEqual(exactTopTenAmong({ ids, vectors }, DIM, (i) => verified[i]!, query));
  return { hits, trace };
}

const randomQuery = () => unit(Float32Array.from({ length: DIM }, () => rnd() * 2 - 1));
const verifiedCount = () => verified.filter(Boolean).length;

describe.each(['exact', 'quantized'] as const)('the %s scan rows', (route) => {
  it('are read once, then carried over label decisions: only the newly verified image is read', async () => {
    // Whatever an earlier case left: a fresh start for this filter after a vector write.
    await storeVectors(lib, { modelId: MODEL, kind: 'clip', vectorSize: DIM }, [{ imageId: ids[0]!, vector: vectorOf(0) }]);
    const first = await search(route, randomQuery());
    expect(first.trace).toMatchObject({ route, cached: false, vectorsRead: verifiedCount() });
    const again = await search(route, randomQuery());
    expect(again.trace).toMatchObject({ cached: true, vectorsRead: 0 });

    // One image leaves the filter and another joins it: queried by their own vectors.
    const leaving = verified.findIndex((v, i) => v && i > 0);
    const joining = verified.findIndex((v) => !v);
    setState(leaving, 'source_claimed');
    setState(joining, 'human_verified');
    const joined = await search(route, vectorOf(joining));
    expect(joined.trace).toMatchObject({ cached: false, vectorsRead: 1, scanned: verifiedCount(), idsRechecked: 2 });
    expect(joined.hits[0]!.imageId).toBe(ids[joining]);
    const left = await search(route, vectorOf(leaving));
    expect(left.hits.map((h) => h.imageId)).not.toContain(ids[leaving]);

    // Two decisions between searches: carried over both.
    setState(leaving, 'human_verified');
    setState(joining, 'source_claimed');
    const back = await search(route, vectorOf(leaving));
    expect(back.trace).toMatchObject({ cached: false, vectorsRead: 1 });
    expect(back.hits[0]!.imageId).toBe(ids[leaving]);
  });

  it('are read again after a vector is written, and answer with the new vector', async () => {
    await search(route, randomQuery());
    const moved = verified.findIndex((v, i) => v && i > 10);
    const fresh = unit(Float32Array.from({ length: DIM }, () => rnd() * 2 - 1));
    await storeVectors(lib, { modelId: MODEL, kind: 'clip', vectorSize: DIM }, [{ imageId: ids[moved]!, vector: fresh }]);
    vectors.set(fresh, moved * DIM);
    const after = await search(route, fresh);
    expect(after.trace).toMatchObject({ cached: false, vectorsRead: verifiedCount() });
    expect(after.hits[0]!.imageId).toBe(ids[moved]);
  });

  it('are read again after another connection commits (its writes are not logged here)', async () => {
    await search(route, randomQuery());
    const other = openCatalog(path.join(lib.dir, CATALOG_FILE));
    try {
      const i = verified.findIndex((v) => !v);
      other.prepare(`UPDATE label SET state = 'human_verified' WHERE image_id = ?`).run(ids[i]!);
      verified[i] = true;
    } finally {
      other.close();
    }
    const after = await search(route, randomQuery());
    expect(after.trace).toMatchObject({ cached: false, vectorsRead: verifiedCount(), idsRechecked: null });
  });
});
