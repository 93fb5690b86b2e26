// Rules the lab server enforces itself (as the curator role and as its owner), init-schema's retry and repair, and
// connection safety checked before anything is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { decide, imageIdBySha, shaFor } from '../../../fixtures/catalog-rows';
import { openCurator, openCuratorServer, push, type Curator, type CuratorServer } from '../../../fixtures/curator-server';
import { openPasswordGate } from '../../../fixtures/password-gate';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';
import { makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

const sha = (n: number) => shaFor(`shared-${n}`);

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

describe.skipIf(!hasPostgres)(`server-side rules${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  let server: CuratorServer;
  let ana: Curator;
  let asCurator: pg.Client;
  let asOwner: pg.Client;

  beforeAll(async () => {
    server = await openCuratorServer();
    ana = openCurator('ana');
    decide(ana.lib.db, imageIdBySha(ana.lib.db, sha(0)), 'Amanita muscaria', 'ana');
    await push(ana, server.curatorUrl);
    asCurator = await connect(server.curatorUrl);
    asOwner = await server.db.connect();
  }, 60_000);
  afterAll(async () => {
    await asCurator?.end();
    await asOwner?.end();
    await ana?.cleanup();
    await server?.drop();
  }, 60_000);

  it('refuses a downgrade of a human decision in plain SQL, as the curator role and as the owner', async () => {
    for (const client of [asCurator, asOwner]) {
      await expect(client.query(`UPDATE media.image SET label_state = 'source_claimed' WHERE sha256 = $1`, [sha(0)])).rejects.toThrow(
        /refused: image [0-9a-f]{64} has the human decision human_verified \(Amanita muscaria, by ana\); source_claimed may not replace it/,
      );
      await expect(client.query(`UPDATE media.image SET label_state = NULL, taxon = NULL WHERE sha256 = $1`, [sha(0)])).rejects.toThrow(
        /refused: .*no label may not replace it/,
      );
    }
    const row = await asOwner.query(`SELECT label_state FROM media.image WHERE sha256 = $1`, [sha(0)]);
    expect(row.rows[0].label_state).toBe('human_verified');
    // Moving between human states (a dispute, a resolution) stays allowed.
    await asCurator.query(`BEGIN`);
    await asCurator.query(`UPDATE media.image SET label_state = 'disputed' WHERE sha256 = $1`, [sha(0)]);
    await asCurator.query(`ROLLBACK`);
  });

  it('keeps label_event append-only: UPDATE, DELETE and TRUNCATE refused, even for the owner', async () => {
    const before = (await asOwner.query(`SELECT count(*)::int AS n FROM media.label_event`)).rows[0].n as number;
    expect(before).toBeGreaterThan(0);
    await expect(asCurator.query(`TRUNCATE media.label_event`)).rejects.toThrow(/permission denied/);
    await expect(asCurator.query(`DELETE FROM media.label_event`)).rejects.toThrow(/permission denied/);
    await expect(asCurator.query(`UPDATE media.label_event SET author = 'mallory'`)).rejects.toThrow(/permission denied/);
    await expect(asOwner.query(`TRUNCATE media.label_event`)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    await expect(asOwner.query(`DELETE FROM media.label_event`)).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(asOwner.query(`UPDATE media.label_event SET author = 'mallory'`)).rejects.toThrow(/append-only \(UPDATE refused\)/);
    expect((await asOwner.query(`SELECT count(*)::int AS n FROM media.label_event`)).rows[0].n).toBe(before);
  });

  it('gives the curator role only what a push needs', async () => {
    await expect(asCurator.query(`DELETE FROM media.image`)).rejects.toThrow(/permission denied/);
    await expect(asCurator.query(`ALTER TABLE media.image DISABLE TRIGGER image_no_label_downgrade`)).rejects.toThrow(/must be owner/);
    await expect(asCurator.query(`UPDATE media.image SET first_client = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(asCurator.query(`DROP VIEW media.training_hq`)).rejects.toThrow(/must be owner/);
    const mindex = await asCurator.query(
      `SELECT id, source, phash, bytes, thumb_path, large_path FROM media.image_mindex WHERE sha256 = $1`,
      [sha(0)],
    );
    expect(mindex.rows[0]).toMatchObject({ source: 'local', phash: sha(0).slice(0, 16), bytes: '100000' });
    expect(mindex.rows[0].thumb_path).toMatch(new RegExp(`${sha(0)}/thumb\\.jpg$`));
    expect(Number(mindex.rows[0].id)).toBeGreaterThan(0);
  });

  it('checks hashes, ranges and duplicate_of on the server', async () => {
    const insert = (over: Record<string, unknown>) => {
      const row = {
        sha256: 'f'.repeat(64),
        perceptual_hash: '0123456789abcdef',
        width: 10,
        height: 10,
        format: 'jpeg',
        file_size: 1,
        quality_score: 50,
        duplicate_of: null,
        ...over,
      };
      return asCurator.query(
        `INSERT INTO media.image (sha256, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution,
           quality_sharpness, quality_noise, quality_colour, is_hq, duplicate_of, first_client)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, 1, 1, false, $8, 'test')`,
        [row.sha256, row.perceptual_hash, row.width, row.height, row.format, row.file_size, row.quality_score, row.duplicate_of],
      );
    };
    await expect(insert({ sha256: 'F'.repeat(64) })).rejects.toThrow(/image_sha256_hex/);
    await expect(insert({ sha256: 'f'.repeat(63) })).rejects.toThrow(/image_sha256_hex/);
    await expect(insert({ perceptual_hash: 'xyz' })).rejects.toThrow(/image_perceptual_hash_hex/);
    await expect(insert({ quality_score: 101 })).rejects.toThrow(/image_quality_range/);
    await expect(insert({ width: 0 })).rejects.toThrow(/image_sizes_positive/);
    await expect(insert({ duplicate_of: 'e'.repeat(64) })).rejects.toThrow(/image_duplicate_of_fk/);
    const indexes = await asOwner.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'media' AND indexname = 'image_training'`);
    expect(indexes.rowCount).toBe(1);
  });
});

describe.skipIf(!hasPostgres)(
  `init-schema and connection safety${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    it('retries --init-schema whose connection is dropped', async () => {
      const target = await createTempDatabase('sporeprint_init_retry');
      const { lib, cleanup } = openTempLibrary({ SYNC_BACKOFF_MS: '20' });
      const holder = await target.connect();
      try {
        // Hold the init lock so the job's backend waits on it, then kill that backend.
        await holder.query(`SELECT pg_advisory_lock(hashtext('sporeprint.init-schema'))`);
        const { jobId } = await lib.invoke('sync.start', { url: target.url, initSchema: true });
        let killed = 0;
        for (let i = 0; i < 500 && killed === 0; i++) {
          const r = await holder.query(
            `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'sporeprint-sync' AND wait_event_type = 'Lock'`,
          );
          killed += r.rows.filter((x) => x.ok).length;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(killed).toBe(1);
        await holder.query(`SELECT pg_advisory_unlock_all()`);
        const job = await lib.waitForJob(jobId);
        expect(job.error).toBeNull();
        expect((job.result as { retries: number }).retries).toBeGreaterThanOrEqual(1);
      } finally {
        await holder.end();
        await cleanup();
        await target.drop();
      }
    });

    it('names every missing column and rule before pushing, and --init-schema repairs them', async () => {
      const target = await createTempDatabase('sporeprint_repair');
      const ana = openCurator('ana');
      const pgc = await target.connect();
      try {
        const { jobId } = await ana.lib.invoke('sync.start', { url: target.url, initSchema: true });
        expect((await ana.lib.waitForJob(jobId)).error).toBeNull();
        await pgc.query(`ALTER TABLE media.image DROP COLUMN source CASCADE, DROP COLUMN thumb_path CASCADE`);
        await pgc.query(`ALTER TABLE media.image_claim DROP COLUMN author CASCADE`);
        await pgc.query(`DROP TRIGGER label_event_no_truncate ON media.label_event`);
        ana.lib.db.prepare(`UPDATE image SET license = 'CC0-1.0'`).run();
        const refused = await ana.lib.waitForJob((await ana.lib.invoke('sync.start', { url: target.url })).jobId);
        expect(refused.status).toBe('failed');
        expect(refused.error).toMatch(
          /incomplete \(missing media\.image\.source, media\.image\.thumb_path, media\.image_claim\.author, media\.image_mindex, media\.claim_conflict, trigger label_event_no_truncate\); run sync with --init-schema to repair it/,
        );
        const repaired = await ana.lib.waitForJob((await ana.lib.invoke('sync.start', { url: target.url, initSchema: true })).jobId);
        expect(repaired.error).toBeNull();
        expect(repaired.result).toMatchObject({ pushed: 6 });
        const row = await pgc.query(`SELECT source, thumb_path, license FROM media.image WHERE sha256 = $1`, [sha(1)]);
        expect(row.rows[0]).toMatchObject({ source: 'local', license: 'CC0-1.0' });
        expect(row.rows[0].thumb_path).toMatch(/thumb\.jpg$/);
        await expect(pgc.query(`TRUNCATE media.label_event`)).rejects.toThrow(/append-only/);
      } finally {
        await pgc.end();
        await ana.cleanup();
        await target.drop();
      }
    });

    it('refuses a password in the query and an invalid sslmode before storing anything', async () => {
      const { lib, cleanup } = openTempLibrary();
      try {
        await expect(lib.invoke('sync.start', { url: 'postgres://ana@127.0.0.1/test?password=s3cret' })).rejects.toThrow(
          /carries a password/,
        );
        await expect(lib.invoke('sync.start', { url: 'postgres://ana@127.0.0.1/test?sslmode=on' })).rejects.toThrow(
          /sslmode "on" in the sync URL is not one of disable, allow, prefer, require, verify-ca, verify-full/,
        );
        const stored = JSON.stringify([lib.db.prepare(`SELECT * FROM sync_state`).all(), lib.db.prepare(`SELECT * FROM job`).all()]);
        expect(stored).not.toContain('s3cret');
      } finally {
        await cleanup();
      }
    });

    it('says which password is missing instead of the SASL library text', async () => {
      const target = await createTempDatabase('sporeprint_nopass');
      const real = new URL(target.url);
      const gate = await openPasswordGate({ host: real.hostname, port: Number(real.port || 5432) });
      const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
      const tmp = makeTempDir();
      delete process.env.PGPASSWORD;
      process.env.PGPASSFILE = `${tmp.dir}/none`;
      const { lib, cleanup } = openTempLibrary({ SYNC_MAX_RETRIES: '0' });
      try {
        const gated = new URL(target.url);
        gated.port = String(gate.port);
        const job = await lib.waitForJob((await lib.invoke('sync.start', { url: gated.toString(), initSchema: true })).jobId);
        expect(job.status).toBe('failed');
        expect(job.error).toMatch(/no password for postgres@127\.0\.0\.1: set it in the app, PGPASSWORD or ~\/\.pgpass/);
        expect(job.error).not.toMatch(/SASL|must be a string/);
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
        await cleanup();
        tmp.cleanup();
        await gate.close();
        await target.drop();
      }
    });
  },
);
