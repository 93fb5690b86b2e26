// Vectors on a server with pgvector, pushed as the curator role: CREATE EXTENSION at init, vector(n) per model with its
// HNSW index, exact round trip through both push paths (new images by COPY, known ones through the merge).
import { describe, expect, it } from 'vitest';
import { imageIdBySha, insertVectors, shaFor } from '../../../fixtures/catalog-rows';
import { curatorsOfSuite, openCurator, openCuratorServer, push, type Curator } from '../../../fixtures/curator-server';
import { hasPostgres, pgvectorAvailable, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';

const hasPgvector = await pgvectorAvailable();
const SKIP = hasPostgres ? 'the test server has no pgvector extension (pg_available_extensions has no vector)' : POSTGRES_SKIP_REASON;

const sha = (n: number) => shaFor(`shared-${n}`);

describe.skipIf(!hasPgvector)(`embeddings in pgvector${hasPgvector ? '' : ` (${SKIP}; skipping)`}`, { timeout: 60_000 }, () => {
  const { servers, curators } = curatorsOfSuite();

  it('creates the extension at init and keeps each model in vector(n) with its own HNSW index', async () => {
    const s = await openCuratorServer();
    servers.push(s);
    const db = await s.db.connect();
    try {
      const ana = openCurator('ana', 6);
      const ben = openCurator('ben', 6);
      curators.push(ana, ben);
      const ids = (c: Curator) => [0, 1, 2, 3, 4, 5].map((n) => imageIdBySha(c.lib.db, sha(n)));
      const anaVectors = insertVectors(ana.lib.db, 'clip-b32', ids(ana), 64);
      const benVectors = insertVectors(ben.lib.db, 'descriptor-v1', ids(ben), 24);
      // ana's images are new to the server (straight COPY); ben's are then known to it (staging and the merge).
      expect(await push(ana, s.curatorUrl)).toMatchObject({ pushed: 6, embeddingStorage: 'vector' });
      expect(await push(ben, s.curatorUrl)).toMatchObject({ pushed: 6, embeddingStorage: 'vector' });

      expect((await db.query(`SELECT extname FROM pg_extension WHERE extname = 'vector'`)).rows).toHaveLength(1);
      const column = await db.query(
        `SELECT udt_name FROM information_schema.columns WHERE table_schema = 'media' AND table_name = 'image_embedding' AND column_name = 'embedding'`,
      );
      expect(column.rows).toEqual([{ udt_name: 'vector' }]);
      const indexes = await db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = 'media' AND tablename = 'image_embedding' AND indexdef LIKE '%hnsw%' ORDER BY indexdef`,
      );
      expect(
        indexes.rows.map((r) => r.indexdef.match(/vector\((\d+)\)\) vector_cosine_ops\) WHERE \(model = '([^']+)'/)?.slice(1)),
      ).toEqual(
        expect.arrayContaining([
          ['64', 'clip-b32'],
          ['24', 'descriptor-v1'],
        ]),
      );
      expect(indexes.rows).toHaveLength(2);

      const stored = await db.query<{ sha: string; model: string; dims: number; v: number[] }>(
        `SELECT image_sha256 AS sha, model, vector_dims(embedding) AS dims, embedding::real[] AS v FROM media.image_embedding ORDER BY model, image_sha256`,
      );
      expect(stored.rows).toHaveLength(12);
      for (const row of stored.rows) {
        const [c, vectors] = row.model === 'clip-b32' ? [ana, anaVectors] : [ben, benVectors];
        const expected = vectors.get(imageIdBySha(c.lib.db, row.sha))!;
        expect(row.dims).toBe(expected.length);
        // float4 on both sides: the same bits, not an approximation.
        expect(Float32Array.from(row.v)).toEqual(expected);
      }

      // A nearest-neighbour query goes through clip-b32's HNSW index and finds the image whose vector it was.
      const query = `[${[...anaVectors.get(ids(ana)[3]!)!].join(',')}]`;
      await db.query('BEGIN');
      await db.query('SET LOCAL enable_seqscan = off');
      const knn = `SELECT image_sha256 FROM media.image_embedding WHERE model = 'clip-b32'
                   ORDER BY embedding::vector(64) <=> $1::vector(64) LIMIT 3`;
      const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${knn}`, [query])).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan using image_embedding_hnsw_\w+/);
      const nearest = await db.query<{ image_sha256: string }>(knn, [query]);
      await db.query('COMMIT');
      expect(nearest.rows[0]!.image_sha256).toBe(sha(3));
    } finally {
      await db.end();
    }
  });

  it('replaces a vector the same library re-embedded, through the merge', async () => {
    const s = await openCuratorServer();
    servers.push(s);
    const db = await s.db.connect();
    try {
      const ana = openCurator('ana', 3);
      curators.push(ana);
      const id = imageIdBySha(ana.lib.db, sha(1));
      insertVectors(ana.lib.db, 'clip-b32', [id], 16);
      await push(ana, s.curatorUrl);
      const next = Float32Array.from({ length: 16 }, (_, k) => (k === 5 ? 1 : 0));
      ana.lib.db
        .prepare(`UPDATE image_vector SET vector = ? WHERE image_id = ? AND model_id = 'clip-b32'`)
        .run(Buffer.from(next.buffer), id);
      expect(await push(ana, s.curatorUrl)).toMatchObject({ pushed: 1 });
      const row = await db.query<{ v: number[] }>(`SELECT embedding::real[] AS v FROM media.image_embedding WHERE image_sha256 = $1`, [
        sha(1),
      ]);
      expect(Float32Array.from(row.rows[0]!.v)).toEqual(next);
    } finally {
      await db.end();
    }
  });
});
