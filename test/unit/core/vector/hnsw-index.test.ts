// The HNSW index against its source of truth: round trip, incremental changes, and repair on open.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Db } from '../../../../src-main/core/catalog/database';
import { VectorIndex } from '../../../../src-main/core/vector/hnsw-index';
import { catalogueDigest, putVectors, upsertModel } from '../../../../src-main/core/vector/vector-store';
import { insertImages } from '../../../fixtures/catalog-rows';
import { makeTempDir } from '../../../fixtures/temp-library';

const DIM = 24;
const MODEL = 'test/model';

function unitVector(seed: number): Float32Array {
  const v = new Float32Array(DIM);
  let s = seed * 9301 + 49297;
  for (let i = 0; i < DIM; i++) {
    s = (s * 9301 + 49297) % 233280;
    v[i] = s / 233280 - 0.5;
  }
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

let tmp: { dir: string; cleanup: () => void };
let db: Db;
let ids: number[];
let file: string;

beforeEach(() => {
  tmp = makeTempDir();
  db = openCatalog(path.join(tmp.dir, 'catalog.db'));
  ids = insertImages(db, 'hnsw', 300);
  upsertModel(db, { id: MODEL, kind: 'clip', vectorSize: DIM, path: null });
  putVectors(
    db,
    MODEL,
    ids.map((id) => ({ imageId: id, vector: unitVector(id) })),
  );
  file = path.join(tmp.dir, 'index', 'model.hnsw');
});

afterEach(() => {
  db.close();
  tmp.cleanup();
});

describe('VectorIndex', () => {
  it('builds from the catalogue, finds an image by its own vector first, and reloads without rebuilding', async () => {
    const built = await VectorIndex.open(db, file, MODEL, DIM);
    expect(built.outcome).toBe('created');
    expect(built.size).toBe(300);
    for (const id of ids.slice(0, 50)) {
      const [first] = built.search(unitVector(id), 5);
      expect(first!.imageId).toBe(id);
      expect(first!.score).toBeCloseTo(1, 4);
    }
    const loaded = await VectorIndex.open(db, file, MODEL, DIM);
    expect(loaded.outcome).toBe('loaded');
    expect(loaded.search(unitVector(ids[7]!), 1)[0]!.imageId).toBe(ids[7]);
  });

  it('rebuilds when the index file is deleted, corrupted, truncated, or disagrees with the catalogue', async () => {
    await VectorIndex.open(db, file, MODEL, DIM);
    rmSync(file);
    let index = await VectorIndex.open(db, file, MODEL, DIM);
    expect([index.outcome, index.rebuildReason]).toEqual(['rebuilt', 'index or its metadata file is missing']);

    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(file, bytes);
    index = await VectorIndex.open(db, file, MODEL, DIM);
    expect(index.rebuildReason).toMatch(/damaged/);
    expect(index.search(unitVector(ids[3]!), 1)[0]!.imageId).toBe(ids[3]);

    writeFileSync(file, readFileSync(file).subarray(0, 100));
    index = await VectorIndex.open(db, file, MODEL, DIM);
    expect(index.rebuildReason).toMatch(/damaged/);

    // The catalogue gains a vector the saved index never saw (a crash after the commit, before the save).
    const [extra] = insertImages(db, 'hnsw-extra', 1);
    putVectors(db, MODEL, [{ imageId: extra!, vector: unitVector(extra!) }]);
    index = await VectorIndex.open(db, file, MODEL, DIM);
    expect(index.rebuildReason).toMatch(/does not match the catalogue/);
    expect(index.size).toBe(301);
    expect(index.search(unitVector(extra!), 1)[0]!.imageId).toBe(extra);

    writeFileSync(`${file}.meta.json`, '{not json');
    expect((await VectorIndex.open(db, file, MODEL, DIM)).rebuildReason).toMatch(/metadata file is unreadable/);
  });

  it('saves started at the same time run one after the other, and the last state is what reloads', async () => {
    const index = await VectorIndex.open(db, file, MODEL, DIM);
    const saves: Promise<void>[] = [];
    for (const batch of [0, 1, 2]) {
      const more = insertImages(db, `hnsw-batch-${batch}`, 50);
      const items = more.map((id) => ({ imageId: id, vector: unitVector(id) }));
      putVectors(db, MODEL, items);
      index.add(items);
      saves.push(index.save());
    }
    await Promise.all(saves);
    const reopened = await VectorIndex.open(db, file, MODEL, DIM);
    expect(reopened.outcome).toBe('loaded');
    expect(reopened.size).toBe(450);
  });

  it('adds and removes incrementally, and the saved state matches the catalogue', async () => {
    const index = await VectorIndex.open(db, file, MODEL, DIM);
    const more = insertImages(db, 'hnsw-more', 2000);
    const items = more.map((id) => ({ imageId: id, vector: unitVector(id) }));
    putVectors(db, MODEL, items);
    index.add(items); // grows past the initial capacity
    db.prepare('DELETE FROM image_vector WHERE model_id = ? AND image_id IN (?, ?)').run(MODEL, ids[0], ids[1]);
    index.remove([ids[0]!, ids[1]!]);
    expect(index.size).toBe(2298);
    expect(index.search(unitVector(ids[0]!), 3).map((n) => n.imageId)).not.toContain(ids[0]);
    await index.save();
    const reopened = await VectorIndex.open(db, file, MODEL, DIM);
    expect(reopened.outcome).toBe('loaded');
    expect(reopened.size).toBe(catalogueDigest(db, MODEL).count);
    // A removed id can come back.
    putVectors(db, MODEL, [{ imageId: ids[0]!, vector: unitVector(ids[0]!) }]);
    reopened.add([{ imageId: ids[0]!, vector: unitVector(ids[0]!) }]);
    expect(reopened.search(unitVector(ids[0]!), 1)[0]!.imageId).toBe(ids[0]);
  });

  it('saves atomically: a leftover temp file from a crashed save is ignored and the index still loads', async () => {
    const index = await VectorIndex.open(db, file, MODEL, DIM);
    const before = statSync(file).size;
    writeFileSync(`${file}.tmp-99999`, Buffer.alloc(10, 1));
    index.add([{ imageId: ids[0]!, vector: unitVector(ids[0]!) }]);
    const reopened = await VectorIndex.open(db, file, MODEL, DIM);
    expect(reopened.outcome).toBe('loaded');
    expect(statSync(file).size).toBe(before);
  });

  it('filters during the walk and checks dimensions', async () => {
    const index = await VectorIndex.open(db, file, MODEL, DIM);
    const even = new Set(ids.filter((id) => id % 2 === 0));
    const hits = index.search(unitVector(ids[1]!), 10, (id) => even.has(id), 200);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => even.has(h.imageId))).toBe(true);
    expect(() => index.search(new Float32Array(DIM + 1), 3)).toThrow(/query has 25 dimensions, index test\/model has 24/);
    expect(() => index.add([{ imageId: 1, vector: new Float32Array(3) }])).toThrow(/3 dimensions/);
  });
});
