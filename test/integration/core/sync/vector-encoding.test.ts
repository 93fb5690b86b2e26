// Vectors pushed from the catalogue's stored bytes: bit for bit into real[] (and pgvector where installed) through both
// push paths (new images by COPY, known ones through staging and the merge), non-finite values as 0; a batch carries
// its own images' vectors only, however its ids are spread; a stored vector of no whole number of floats names its image.
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src-main/core/catalog/database';
import { readBatch } from '../../../../src-main/core/sync/local-changes';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { initServerSchema, type EmbeddingStorage } from '../../../../src-main/core/sync/server-schema';
import { insertImages, insertVectors, shaFor } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, pgvectorAvailable, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';

const MODEL = 'bits-model';
/** Negative zero, the smallest denormal, the largest and smallest normal magnitudes, NaN and the infinities. */
const SPECIAL = [-0, 1e-45, -3.4028234663852886e38, 1.1754943508222875e-38, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function storeVector(db: Db, imageId: number, values: number[]): void {
  db.prepare(`INSERT OR IGNORE INTO embedding_model (id, kind, vector_size) VALUES (?, 'descriptor', ?)`).run(MODEL, values.length);
  db.prepare(
    `INSERT INTO image_vector (model_id, image_id, vector) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET vector = excluded.vector`,
  ).run(MODEL, imageId, Buffer.from(new Float32Array(values).buffer));
}

/** What the server should hold: each float32's bits as hex, NaN and the infinities as 0. */
const expectedBits = (values: number[]) =>
  Array.from(new Uint32Array(new Float32Array(values).buffer), (u) =>
    ((u & 0x7f800000) === 0x7f800000 ? 0 : u).toString(16).padStart(8, '0'),
  );

const temps: { drop(): Promise<void> }[] = [];
const libs: { cleanup(): Promise<void> }[] = [];
afterAll(async () => {
  for (const l of libs) await l.cleanup();
  for (const t of temps) await t.drop();
});

function openLibrary(curator: string, values: (n: number) => number[]) {
  const l = openTempLibrary({ SPOREPRINT_CURATOR: curator, SYNC_BATCH_SIZE: '4' });
  libs.push(l);
  const ids = insertImages(l.lib.db, 'shared', 6);
  ids.forEach((id, n) => storeVector(l.lib.db, id, values(n)));
  return l.lib;
}

const hasPgvector = hasPostgres && (await pgvectorAvailable());
const storages: EmbeddingStorage[] = hasPgvector ? ['real[]', 'vector'] : ['real[]'];

describe.skipIf(!hasPostgres)(
  `vectors pushed from stored bytes${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    it.each(storages)('stores every float32 bit for bit in %s, new images by COPY and known ones through the merge', async (storage) => {
      const server: TempDatabase = await createTempDatabase('sporeprint_vector_bits');
      temps.push(server);
      const db = await server.connect();
      try {
        await initServerSchema(db, { embeddingStorage: storage });
        const stored = async () => {
          const rows = await db.query<{ sha: string; bits: string[] }>(
            `SELECT e.image_sha256 AS sha, array_agg(encode(float4send(u.x), 'hex') ORDER BY u.i) AS bits
           FROM media.image_embedding e, unnest(e.embedding::real[]) WITH ORDINALITY AS u(x, i)
           WHERE e.model = $1 GROUP BY e.image_sha256`,
            [MODEL],
          );
          return new Map(rows.rows.map((r) => [r.sha, r.bits]));
        };
        const anaValues = (n: number) => [...SPECIAL, 0.1 * n, n];
        const ana = openLibrary('ana', anaValues);
        expect((await runSync(ana, { url: server.url, initSchema: false, dryRun: false })).pushed).toBe(6);
        let onServer = await stored();
        expect(onServer.size).toBe(6);
        for (let n = 0; n < 6; n++) expect(onServer.get(shaFor(`shared-${n}`))).toEqual(expectedBits(anaValues(n)));

        // The same images from another library: known to the server, so staged and merged; its vectors replace ana's.
        const benValues = (n: number) => [n, ...SPECIAL.map((x) => -x), -0.1 * n];
        const ben = openLibrary('ben', benValues);
        expect((await runSync(ben, { url: server.url, initSchema: false, dryRun: false })).pushed).toBe(6);
        onServer = await stored();
        for (let n = 0; n < 6; n++) expect(onServer.get(shaFor(`shared-${n}`))).toEqual(expectedBits(benValues(n)));
      } finally {
        await db.end();
      }
    });

    it('fails naming the image whose stored vector is no whole number of float32 values', async () => {
      const server = await createTempDatabase('sporeprint_vector_bits');
      temps.push(server);
      const db = await server.connect();
      await initServerSchema(db, { embeddingStorage: 'real[]' });
      await db.end();
      const lib = openLibrary('ana', (n) => [n, n]);
      const id = insertImages(lib.db, 'odd', 1)[0]!;
      lib.db.prepare(`INSERT INTO image_vector (model_id, image_id, vector) VALUES (?, ?, zeroblob(10))`).run(MODEL, id);
      await expect(runSync(lib, { url: server.url, initSchema: false, dryRun: false })).rejects.toThrow(
        `the ${MODEL} vector of image ${shaFor('odd-0')} is 10 bytes, not a whole number of float32 values`,
      );
    });
  },
);

describe('a batch read from the catalogue', () => {
  it("carries its own images' vectors only, whether its ids are close together or spread", () => {
    const { lib, cleanup } = openTempLibrary();
    libs.push({ cleanup });
    const ids = insertImages(lib.db, 'spread', 12);
    insertVectors(lib.db, MODEL, ids, 4);
    let cursor = readBatch(lib.db, 0, 100, MODEL).maxSeq;
    for (const picked of [
      [0, 1, 3], // ids 1, 2 and 4 of 1-4: image 3's vector left out
      [0, 5, 11], // spread over all twelve
    ]) {
      const changed = picked.map((n) => ids[n]!);
      for (const id of changed) storeVector(lib.db, id, [id, -id, 0.5, -0]);
      const batch = readBatch(lib.db, cursor, 100, MODEL);
      expect(batch.images.map((i) => i.id)).toEqual(changed);
      expect([...batch.embeddings.keys()].sort((a, b) => a - b)).toEqual(changed);
      for (const id of changed) expect(batch.embeddings.get(id)).toEqual(Buffer.from(new Float32Array([id, -id, 0.5, -0]).buffer));
      cursor = batch.maxSeq;
    }
  });
});
