// Push-sync against a real PostgreSQL: schema creation, first push, re-push no-op, dry run, embeddings as real[].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistanceHex } from '../../../../src-main/core/catalog/hamming';
import type { Library } from '../../../../src-main/core/library';
import { claimLabels, decide, insertImages, insertVectors } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

async function syncJob(lib: Library, input: { url: string; initSchema?: boolean; dryRun?: boolean }) {
  const { jobId } = await lib.invoke('sync.start', input);
  return lib.waitForJob(jobId);
}

describe.skipIf(!hasPostgres)(`push-sync to PostgreSQL${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let lib: Library;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    target = await createTempDatabase();
    // This server keeps vectors as real[] (no extension), whether or not pgvector is installed: that path stays tested
    // here; pgvector-storage.test.ts covers vector(n) with its HNSW index.
    ({ lib, cleanup } = openTempLibrary({ SYNC_BATCH_SIZE: '100', SPOREPRINT_CURATOR: 'ana', SYNC_EMBEDDING_STORAGE: 'real[]' }));
  });
  afterAll(async () => {
    await cleanup?.();
    await target?.drop();
  });

  it('refuses a missing schema without --init-schema, naming what is missing', async () => {
    insertImages(lib.db, 'p', 10);
    const job = await syncJob(lib, { url: target.url });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/no sync schema.*media\.image.*--init-schema/);
    const pg = await target.connect();
    const schemas = await pg.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'media'`);
    await pg.end();
    expect(schemas.rowCount).toBe(0);
  });

  it('refuses a URL with a password', async () => {
    const withPassword = target.url.replace('postgres@', 'postgres:secret@');
    await expect(lib.invoke('sync.start', { url: withPassword })).rejects.toThrow(/carries a password/);
    expect(JSON.stringify(lib.db.prepare(`SELECT * FROM sync_state`).all())).not.toContain('secret');
  });

  it('creates the schema on an empty database and pushes everything on first sync', async () => {
    const ids = insertImages(lib.db, 'p', 290, 10).concat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    claimLabels(lib.db, ids.slice(0, 200), 'Amanita muscaria');
    decide(lib.db, ids[0]!, 'Amanita pantherina', 'ana');
    const dry = await syncJob(lib, { url: target.url, initSchema: true, dryRun: true });
    expect(dry.status).toBe('completed');
    expect(dry.result).toMatchObject({ dryRun: true, wouldCreateSchema: true, pending: 300, pushed: 0 });

    const job = await syncJob(lib, { url: target.url, initSchema: true });
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({
      pushed: 300,
      batches: 3,
      newEvents: 201,
      labelsTaken: 200,
      disputes: 0,
      embeddingStorage: 'real[]',
    });

    const pg = await target.connect();
    try {
      const counts = await pg.query(
        `SELECT count(*)::int AS images, count(taxon)::int AS labelled,
                count(*) FILTER (WHERE label_state = 'human_verified')::int AS verified FROM media.image`,
      );
      expect(counts.rows[0]).toEqual({ images: 300, labelled: 200, verified: 1 });
      const events = await pg.query(
        `SELECT count(*)::int AS n, count(DISTINCT client_event_id)::int AS distinct_ids FROM media.label_event`,
      );
      expect(events.rows[0]).toEqual({ n: 201, distinct_ids: 201 });
      const verified = await pg.query(`SELECT taxon, label_author FROM media.training_verified`);
      expect(verified.rows).toEqual([{ taxon: 'Amanita pantherina', label_author: 'ana' }]);
      const local = lib.db.prepare(`SELECT sha256, perceptual_hash, quality_score, license FROM image ORDER BY id LIMIT 1`).get() as Record<
        string,
        unknown
      >;
      const remote = await pg.query(`SELECT perceptual_hash, quality_score, license FROM media.image WHERE sha256 = $1`, [local.sha256]);
      expect(remote.rows[0]).toEqual({
        perceptual_hash: local.perceptual_hash,
        quality_score: local.quality_score,
        license: local.license,
      });
      // The server's hamming_distance agrees with the catalogue's.
      const a = 'f0f0f0f0f0f0f0f0';
      const b = '0ff0f0f0f0f0f0f1';
      const h = await pg.query(`SELECT media.hamming_distance($1, $2) AS d`, [a, b]);
      expect(h.rows[0].d).toBe(hammingDistanceHex(a, b));
      // label_event is append-only.
      await expect(pg.query(`DELETE FROM media.label_event`)).rejects.toThrow(/append-only/);
    } finally {
      await pg.end();
    }
    const status = await lib.invoke('sync.status', {});
    expect(status.pending).toBe(0);
    expect(status.lastSyncAt).not.toBeNull();
    expect(status.url).toBe(target.url);
  });

  it('pushing again changes nothing, even when the cursor is forgotten', async () => {
    const pg = await target.connect();
    try {
      const before = await pg.query(`SELECT sha256, xmin::text AS xmin, label_seq FROM media.image ORDER BY sha256`);
      const again = await syncJob(lib, { url: target.url });
      expect(again.result).toMatchObject({ pushed: 0, batches: 0, newEvents: 0 });
      // Forget what was pushed: every row is sent again, and the server must still not change.
      lib.db.prepare(`UPDATE sync_state SET value = '0' WHERE key IN ('push_cursor', 'pull_cursor')`).run();
      lib.db.prepare(`UPDATE sync_image SET pushed_event_id = 0`).run();
      const forced = await syncJob(lib, { url: target.url });
      expect(forced.result).toMatchObject({ pushed: 300, newEvents: 0, labelsTaken: 0, disputes: 0, pulled: 0 });
      const after = await pg.query(`SELECT sha256, xmin::text AS xmin, label_seq FROM media.image ORDER BY sha256`);
      expect(after.rows).toEqual(before.rows);
      const events = await pg.query(`SELECT count(*)::int AS n FROM media.label_event`);
      expect(events.rows[0].n).toBe(201);
    } finally {
      await pg.end();
    }
  });

  it('names a partly missing schema, and --init-schema restores only what is missing', async () => {
    const pg = await target.connect();
    try {
      const before = await pg.query(`SELECT count(*)::int AS n FROM media.image`);
      await pg.query(`DROP VIEW media.training_verified; DROP VIEW media.training_hq`);
      const job = await syncJob(lib, { url: target.url });
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/missing media\.training_hq, media\.training_verified\)/);
      const repaired = await syncJob(lib, { url: target.url, initSchema: true });
      expect(repaired.error).toBeNull();
      const views = await pg.query(`SELECT viewname FROM pg_views WHERE schemaname = 'media' ORDER BY viewname`);
      expect(views.rows.map((r) => r.viewname)).toEqual([
        'claim_conflict',
        'image_mindex',
        'training_general',
        'training_hq',
        'training_verified',
      ]);
      expect((await pg.query(`SELECT count(*)::int AS n FROM media.image`)).rows[0]).toEqual(before.rows[0]);
    } finally {
      await pg.end();
    }
  });

  it('pushes only what changed since the last sync', async () => {
    const id = (lib.db.prepare(`SELECT id FROM image ORDER BY id LIMIT 1 OFFSET 5`).get() as { id: number }).id;
    lib.db.prepare(`UPDATE image SET license = 'CC0' WHERE id = ?`).run(id);
    lib.db.prepare(`UPDATE image SET exif_json = '{}' WHERE id <> ?`).run(id); // not a server column: not pending
    expect((await lib.invoke('sync.status', {})).pending).toBe(1);
    const job = await syncJob(lib, { url: target.url });
    expect(job.result).toMatchObject({ pushed: 1 });
    const pg = await target.connect();
    const row = await pg.query(`SELECT count(*)::int AS n FROM media.image WHERE license = 'CC0'`);
    await pg.end();
    expect(row.rows[0].n).toBe(1);
  });

  it('pushes embeddings into real[] on a server initialised without pgvector', async () => {
    const ids = (lib.db.prepare(`SELECT id FROM image ORDER BY id LIMIT 20`).all() as { id: number }[]).map((r) => r.id);
    const vectors = insertVectors(lib.db, 'descriptor-v1', ids, 512);
    const job = await syncJob(lib, { url: target.url });
    expect(job.result).toMatchObject({ pushed: 20, embeddingModel: 'descriptor-v1' });
    const pg = await target.connect();
    try {
      expect(job.result).toMatchObject({ embeddingStorage: 'real[]' });
      const column = await pg.query(
        `SELECT udt_name FROM information_schema.columns WHERE table_schema = 'media' AND table_name = 'image_embedding' AND column_name = 'embedding'`,
      );
      expect(column.rows).toEqual([{ udt_name: '_float4' }]);
      const extension = await pg.query(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'`);
      expect(extension.rows[0].n).toBe(0);
      const sha = (lib.db.prepare(`SELECT sha256 FROM image WHERE id = ?`).get(ids[3]) as { sha256: string }).sha256;
      const row = await pg.query(`SELECT embedding::text AS e, model, dim FROM media.image_embedding WHERE image_sha256 = $1`, [sha]);
      const values = (row.rows[0].e as string)
        .replace(/[[\]{}]/g, '')
        .split(',')
        .map(Number);
      expect(values).toHaveLength(512);
      const expected = vectors.get(ids[3]!)!;
      for (let k = 0; k < 512; k += 37) expect(values[k]).toBeCloseTo(expected[k]!, 5);
      expect(row.rows[0]).toMatchObject({ model: 'descriptor-v1', dim: 512 });
      const withEmbedding = await pg.query(`SELECT count(*)::int AS n FROM media.image_embedding`);
      expect(withEmbedding.rows[0].n).toBe(20);
    } finally {
      await pg.end();
    }
  });

  it('fails at once on a TLS mismatch, and retries with backoff only when the server is unreachable', async () => {
    const tls = openTempLibrary({ SPOREPRINT_PG_SSL: 'require', SYNC_BACKOFF_MS: '10' });
    const down = openTempLibrary({ SYNC_MAX_RETRIES: '2', SYNC_BACKOFF_MS: '10' });
    try {
      const ssl = await tls.lib.invoke('sync.start', { url: target.url });
      const sslJob = await tls.lib.waitForJob(ssl.jobId);
      const serverSsl = await target.connect();
      const sslOn = (await serverSsl.query(`SHOW ssl`)).rows[0].ssl === 'on';
      await serverSsl.end();
      if (!sslOn) {
        expect(sslJob.status).toBe('failed');
        expect(sslJob.error).toMatch(/cannot connect to .*does not support SSL/);
        expect(sslJob.error).not.toMatch(/attempts/);
      } else expect(sslJob.status).toBe('completed');
      const unreachable = await down.lib.invoke('sync.start', { url: 'postgres://postgres@127.0.0.1:1/test' });
      const job = await down.lib.waitForJob(unreachable.jobId);
      expect(job.status).toBe('failed');
      expect(job.error).toMatch(/after 3 attempts: cannot connect to postgres@127\.0\.0\.1:1\/test/);
    } finally {
      await tls.cleanup();
      await down.cleanup();
    }
  });

  it('pushes photos that went through the real ingest pipeline', { timeout: 60_000 }, async () => {
    const { dir, cleanup: rm } = makeTempDir();
    try {
      for (let seed = 1; seed <= 3; seed++)
        writeFileSync(path.join(dir, `photo-${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240, format: 'jpeg' }));
      const ingest = await ingestAndWait(lib, [dir]);
      expect(ingest.status).toBe('completed');
      const job = await syncJob(lib, { url: target.url });
      expect(job.result).toMatchObject({ pushed: 3 });
      const shas = (
        lib.db.prepare(`SELECT sha256 FROM image WHERE id IN (SELECT image_id FROM location)`).all() as { sha256: string }[]
      ).map((r) => r.sha256);
      const pg = await target.connect();
      const found = await pg.query(
        `SELECT count(*)::int AS n FROM media.image WHERE sha256 = ANY($1) AND format = 'jpeg' AND width = 320`,
        [shas],
      );
      await pg.end();
      expect(found.rows[0].n).toBe(3);
    } finally {
      rm();
    }
  });
});
