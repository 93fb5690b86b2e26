// A server set up by an older Sporeprint (one vector per image in media.image.embedding, with embedding_model):
// --init-schema moves the vectors into media.image_embedding per (image, model) and drops the old columns.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { UNNAMED_LEGACY_MODEL } from '../../../../src-main/core/sync/legacy-embeddings';
import { insertImages, shaFor } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, pgvectorAvailable, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';

const hasPgvector = await pgvectorAvailable();

const sha = (n: number) => shaFor(`legacy-${n}`);
const vec = (n: number, dim: number) => Array.from({ length: dim }, (_, k) => Math.fround(Math.cos(n * 13 + k)));

/** The old layout's media.image, as the first Sporeprint sync created it (embedding as `type`). */
async function oldServer(db: pg.Client, type: 'real[]' | 'vector'): Promise<void> {
  if (type === 'vector') await db.query('CREATE EXTENSION IF NOT EXISTS vector');
  await db.query(`
    CREATE SCHEMA media;
    CREATE TYPE media.label_state AS ENUM ('source_claimed', 'model_suggested', 'human_verified', 'disputed');
    CREATE SEQUENCE media.label_seq;
    CREATE TABLE media.image (
      sha256 text PRIMARY KEY CHECK (length(sha256) = 64), perceptual_hash text NOT NULL, width integer NOT NULL,
      height integer NOT NULL, format text NOT NULL, file_size bigint NOT NULL, quality_score real NOT NULL,
      quality_resolution real NOT NULL, quality_sharpness real NOT NULL, quality_noise real NOT NULL,
      quality_colour real NOT NULL, is_hq boolean NOT NULL, license text, attribution text, source_url text,
      duplicate_of text, taxon text, rank text, label_state media.label_state, label_author text, label_client text,
      label_updated_at timestamptz, label_rev integer NOT NULL DEFAULT 0, label_seq bigint NOT NULL DEFAULT 0,
      embedding_model text, first_client text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(), embedding ${type});`);
  const insert = `INSERT INTO media.image (sha256, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution,
      quality_sharpness, quality_noise, quality_colour, is_hq, first_client, embedding_model, embedding)
    VALUES ($1, '0123456789abcdef', 800, 600, 'jpeg', 1000, 50, 50, 50, 50, 50, false, 'old-client', $2, $3::real[]${type === 'vector' ? '::vector' : ''})`;
  // Images 0-2: descriptor-v1, 8-d. Image 3: clip-b32, 4-d. Image 4: no vector. Image 5: a vector saved without a model.
  for (const n of [0, 1, 2]) await db.query(insert, [sha(n), 'descriptor-v1', vec(n, 8)]);
  await db.query(insert, [sha(3), 'clip-b32', vec(3, 4)]);
  await db.query(insert, [sha(4), null, null]);
  await db.query(insert, [sha(5), null, vec(5, 8)]);
}

describe.skipIf(!hasPostgres)(
  `vectors of the old single-column layout${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    const dbs: TempDatabase[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups) await c();
      for (const d of dbs) await d.drop();
    }, 60_000);

    async function initSchema(url: string): Promise<{ lib: Library; result: Record<string, unknown> }> {
      const { lib, cleanup } = openTempLibrary({ SPOREPRINT_CURATOR: 'dba' });
      cleanups.push(cleanup);
      const job = await lib.waitForJob((await lib.invoke('sync.start', { url, initSchema: true })).jobId);
      expect(job.error).toBeNull();
      return { lib, result: job.result as Record<string, unknown> };
    }

    for (const type of ['real[]', 'vector'] as const) {
      it.skipIf(type === 'vector' && !hasPgvector)(
        `moves ${type} vectors into media.image_embedding per (image, model) at init`,
        async () => {
          const target = await createTempDatabase('sporeprint_legacy');
          dbs.push(target);
          const db = await target.connect();
          try {
            await oldServer(db, type);
            const { lib, result } = await initSchema(target.url);
            expect(result).toMatchObject({ legacyVectorsMoved: 5, legacyVectorsKept: 0 });

            const models = await db.query(`SELECT model, dim FROM media.embedding_model ORDER BY model`);
            expect(models.rows).toEqual([
              { model: 'clip-b32', dim: 4 },
              { model: 'descriptor-v1', dim: 8 },
              { model: UNNAMED_LEGACY_MODEL, dim: 8 },
            ]);
            const rows = await db.query<{ sha: string; model: string; dim: number; v: number[]; client_id: string }>(
              `SELECT image_sha256 AS sha, model, dim, embedding::real[] AS v, client_id FROM media.image_embedding ORDER BY model, image_sha256`,
            );
            expect(rows.rows).toHaveLength(5);
            const bySha = new Map(rows.rows.map((r) => [r.sha, r]));
            for (const [n, model, dim] of [
              [0, 'descriptor-v1', 8],
              [1, 'descriptor-v1', 8],
              [2, 'descriptor-v1', 8],
              [3, 'clip-b32', 4],
              [5, UNNAMED_LEGACY_MODEL, 8],
            ] as const) {
              const row = bySha.get(sha(n))!;
              expect(row).toMatchObject({ model, dim, client_id: 'old-client' });
              // float4 text read back as a double: compare as float4, bit for bit.
              expect(Float32Array.from(row.v)).toEqual(Float32Array.from(vec(n, dim)));
            }
            expect(bySha.has(sha(4))).toBe(false);
            // The old columns are gone once every vector has its place.
            const old = await db.query(
              `SELECT column_name FROM information_schema.columns WHERE table_schema = 'media' AND table_name = 'image' AND column_name IN ('embedding', 'embedding_model')`,
            );
            expect(old.rows).toEqual([]);

            // The repaired server takes pushes, and a second init finds nothing left to move.
            insertImages(lib.db, 'after', 2);
            const push = await lib.waitForJob((await lib.invoke('sync.start', { url: target.url })).jobId);
            expect(push.result).toMatchObject({ pushed: 2 });
            const again = await initSchema(target.url);
            expect(again.result).toMatchObject({ legacyVectorsMoved: 0, legacyVectorsKept: 0 });
          } finally {
            await db.end();
          }
        },
      );
    }

    it('leaves a vector of another size than its model was registered with in the old column, and says so', async () => {
      const target = await createTempDatabase('sporeprint_legacy');
      dbs.push(target);
      const db = await target.connect();
      try {
        await oldServer(db, 'real[]');
        // A library of the old layout overwrote image 2's vector with a 6-d one under the same model name.
        await db.query(`UPDATE media.image SET embedding = $2::real[] WHERE sha256 = $1`, [sha(2), vec(2, 6)]);
        const { result } = await initSchema(target.url);
        expect(result).toMatchObject({ legacyVectorsMoved: 4, legacyVectorsKept: 1 });
        const kept = await db.query(`SELECT cardinality(embedding) AS d FROM media.image WHERE embedding IS NOT NULL AND sha256 = $1`, [
          sha(2),
        ]);
        expect(kept.rows).toEqual([{ d: 6 }]);
        const moved = await db.query(`SELECT count(*)::int AS n FROM media.image_embedding WHERE model = 'descriptor-v1'`);
        expect(moved.rows[0].n).toBe(2);
      } finally {
        await db.end();
      }
    });
  },
);
