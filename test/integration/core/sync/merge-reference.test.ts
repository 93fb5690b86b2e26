// The merge of images the server already holds writes the same server state as the statement it replaced (kept in
// test/fixtures/reference-merge.ts). Curators with seeded random licences, credits, source URLs, labels, clusters and
// resolutions push to one real PostgreSQL; every push that goes through the merge is replayed, batch by batch, on a
// copy of the server taken just before it, through the reference statement; then the two servers are compared.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { resolveClaimOnServer } from '../../../../src-main/core/sync/resolve-claim';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { clientId } from '../../../../src-main/core/sync/sync-state';
import { claimLabels, decide, imageIdBySha, insertImages, shaFor } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, TEST_PG_URL, type TempDatabase } from '../../../fixtures/pg-database';
import { REFERENCE_MERGE, REFERENCE_STAGING } from '../../../fixtures/reference-merge';
import { openTempLibrary } from '../../../fixtures/temp-library';
import { seededRandom } from '../../../fixtures/synthetic-photos';

const IMAGES = 30;
const sha = (n: number) => shaFor(`shared-${n}`);

/** mulberry32: the same scenario on every run. */
interface Curator {
  name: string;
  lib: Library;
  cleanup: () => Promise<void>;
  id: (n: number) => number;
}

function openCurator(name: string): Curator {
  // Batches of 7: every push runs several merges, each against what the one before wrote.
  const { lib, cleanup } = openTempLibrary({ SPOREPRINT_CURATOR: name, SYNC_BATCH_SIZE: '7' });
  insertImages(lib.db, 'shared', IMAGES);
  return { name, lib, cleanup, id: (n) => imageIdBySha(lib.db, sha(n)) };
}

const pick = <T>(rnd: () => number, values: readonly T[]): T => values[Math.floor(rnd() * values.length)]!;

/** Seeded claims: licence, credit and source URL each drawn from a few values or NULL, so curators agree, differ or say nothing. */
function drawClaims(c: Curator, rnd: () => number, images: number[]): void {
  const set = c.lib.db.prepare(`UPDATE image SET license = ?, attribution = ?, source_url = ? WHERE id = ?`);
  for (const n of images) {
    set.run(
      pick(rnd, [null, 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0']),
      pick(rnd, [null, 'photographer a', 'photographer b']),
      pick(rnd, [null, `https://example.org/${n}`, `https://example.net/${n}`]),
      c.id(n),
    );
  }
}

/** A cluster whose members other than the representative are pushed as its duplicates (duplicate_of). */
function cluster(c: Curator, representative: number, members: number[]): void {
  const id = Number(
    c.lib.db.prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link) VALUES (?, 10, 4)`).run(c.id(representative))
      .lastInsertRowid,
  );
  const member = c.lib.db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
  for (const n of [representative, ...members]) member.run(c.id(n), id, n === representative ? 0 : 3);
}

function withDatabase(name: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface CapturedBatch {
  staged: Record<string, unknown>[];
  events: Record<string, unknown>[];
  touchedImages: string[];
  touchedClaims: string[];
}

// What a server holds, without the columns that record when or in which order (times, ids, sequence values).
const SERVER_STATE = {
  images: `SELECT sha256, source, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution,
             quality_sharpness, quality_noise, quality_colour, quality_artefacts, is_hq, license, attribution, source_url,
             duplicate_of, thumb_path, small_path, medium_path, large_path, taxon, rank, label_state, label_author,
             label_client, label_updated_at, label_rev, label_seq > 0 AS labelled, claim_conflict, first_client
           FROM media.image ORDER BY sha256`,
  claims: `SELECT image_sha256, client_id, author, license, attribution, source_url, duplicate_of FROM media.image_claim
           ORDER BY image_sha256, client_id`,
  events: `SELECT image_sha256, client_id, client_event_id, at, author, action, from_state, to_state, from_taxon, to_taxon,
             rank, note, evidence FROM media.label_event ORDER BY image_sha256, client_id, client_event_id, action, to_state`,
  conflicts: `SELECT image_sha256, field, shown, client_id, author, claimed FROM media.claim_conflict
              ORDER BY image_sha256, field, client_id`,
};

async function serverState(url: string): Promise<Record<string, unknown[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const state: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(SERVER_STATE)) state[name] = (await c.query(sql)).rows;
    return state;
  } finally {
    await c.end();
  }
}

describe.skipIf(!hasPostgres)(`the merge against the statement it replaced${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  }, 60_000);

  it('writes the same images, claims, conflicts and events as the reference, push after push', { timeout: 240_000 }, async () => {
    const target: TempDatabase = await createTempDatabase('sporeprint_merge_ref');
    cleanups.push(() => target.drop());
    const [ana, ben, cai] = ['ana', 'ben', 'cai'].map(openCurator) as [Curator, Curator, Curator];
    cleanups.push(ana.cleanup, ben.cleanup, cai.cleanup);
    const rnd = seededRandom(17);
    const all = Array.from({ length: IMAGES }, (_, n) => n);

    for (const c of [ana, ben, cai]) drawClaims(c, rnd, all);
    claimLabels(
      ana.lib.db,
      all.map((n) => ana.id(n)),
      'Amanita muscaria',
    );
    claimLabels(
      ben.lib.db,
      all.filter((n) => n % 3 === 0).map((n) => ben.id(n)),
      'Boletus edulis',
    );
    for (const n of [1, 4, 7]) decide(ben.lib.db, ben.id(n), 'Amanita pantherina', 'ben');
    for (const n of [1, 10]) decide(cai.lib.db, cai.id(n), 'Amanita muscaria', 'cai');
    cluster(ana, 0, [2, 5]);
    cluster(ben, 2, [0, 8]);
    cluster(cai, 0, [2, 11]);

    let compared = 0;
    /** Pushes `c`; each batch's staged rows are replayed through the reference on a copy taken before the push. */
    async function pushCompared(c: Curator): Promise<void> {
      const copy = `${target.name}_ref_${compared}`;
      await admin((a) => a.query(`CREATE DATABASE ${pg.escapeIdentifier(copy)} TEMPLATE ${pg.escapeIdentifier(target.name)}`));
      cleanups.push(() => admin((a) => a.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(copy)} WITH (FORCE)`)).then(() => undefined));
      const batches: CapturedBatch[] = [];
      await runSync(c.lib, {
        url: target.url,
        initSchema: false,
        dryRun: false,
        beforeCommit: async (_n, client) => {
          const one = async (sql: string) => (await client.query(sql)).rows as Record<string, unknown>[];
          batches.push({
            staged: await one(`SELECT * FROM pg_temp.sync_stage_known`),
            // Written by this transaction: the events, and which images and claims the merge changed.
            events: await one(`SELECT * FROM media.label_event WHERE xmin = pg_current_xact_id()::xid`),
            touchedImages: (await one(`SELECT sha256 FROM media.image WHERE updated_at = now() ORDER BY sha256`)).map((r) =>
              String(r.sha256),
            ),
            touchedClaims: (await one(`SELECT image_sha256 FROM media.image_claim WHERE claimed_at = now() ORDER BY 1`)).map((r) =>
              String(r.image_sha256),
            ),
          });
        },
      });
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.every((b) => b.staged.length > 0)).toBe(true);

      const ref = new pg.Client({ connectionString: withDatabase(copy) });
      await ref.connect();
      try {
        for (const b of batches) {
          await ref.query('BEGIN');
          await ref.query('SET LOCAL jit = off');
          await ref.query(REFERENCE_STAGING);
          await ref.query(
            `INSERT INTO pg_temp.sync_stage_image SELECT * FROM json_populate_recordset(NULL::pg_temp.sync_stage_image, $1::json)`,
            [JSON.stringify(b.staged.map((r) => ({ ...r, known: true })))],
          );
          // The events are what this push appends either way; the reference gets them as written, before its merge.
          await ref.query(`INSERT INTO media.label_event SELECT * FROM json_populate_recordset(NULL::media.label_event, $1::json)`, [
            JSON.stringify(b.events),
          ]);
          await ref.query(REFERENCE_MERGE(''), [clientId(c.lib.db), c.name, null, null]);
          const touched = async (sql: string) =>
            (await ref.query(sql)).rows.map((r: Record<string, unknown>) => String(Object.values(r)[0]));
          expect(await touched(`SELECT sha256 FROM media.image WHERE updated_at = now() ORDER BY sha256`)).toEqual(b.touchedImages);
          expect(await touched(`SELECT image_sha256 FROM media.image_claim WHERE claimed_at = now() ORDER BY 1`)).toEqual(b.touchedClaims);
          await ref.query('COMMIT');
        }
      } finally {
        await ref.end();
      }
      expect(await serverState(target.url)).toEqual(await serverState(withDatabase(copy)));
      compared++;
    }

    // The first push writes every image by COPY (nothing to merge); every later one merges.
    await runSync(ana.lib, { url: target.url, initSchema: true, dryRun: false });
    await pushCompared(ben);
    await pushCompared(cai);

    // A curator settles two conflicts; then the others change their minds, clear claims, and push again.
    const server = await target.connect();
    try {
      const conflicts = (
        await server.query(
          `SELECT DISTINCT ON (image_sha256) image_sha256, field, client_id FROM media.claim_conflict ORDER BY image_sha256, field LIMIT 2`,
        )
      ).rows as { image_sha256: string; field: 'license' | 'attribution' | 'source_url' | 'duplicate_of'; client_id: string }[];
      expect(conflicts.length).toBe(2);
      const [first, second] = conflicts as [(typeof conflicts)[0], (typeof conflicts)[0]];
      const by = { clientId: clientId(ana.lib.db), curator: 'ana' };
      // One takes a claimant's value, the other sets a value nobody claimed.
      await resolveClaimOnServer(server, { sha256: first.image_sha256, field: first.field, take: first.client_id, ...by });
      await resolveClaimOnServer(server, { sha256: second.image_sha256, field: second.field, value: 'settled', ...by });
    } finally {
      await server.end();
    }
    drawClaims(
      ben,
      rnd,
      all.filter((n) => n % 2 === 0),
    );
    drawClaims(
      ana,
      rnd,
      all.filter((n) => n % 5 === 0),
    );
    ben.lib.db.prepare(`UPDATE image SET license = NULL, attribution = NULL, source_url = NULL WHERE id = ?`).run(ben.id(3));
    drawClaims(
      cai,
      rnd,
      all.filter((n) => n % 7 === 0),
    );
    decide(ana.lib.db, ana.id(4), 'Amanita pantherina', 'ana');
    await pushCompared(ben);
    await pushCompared(ana);
    await pushCompared(cai);

    // The scenario reached the rules it is meant to check: conflicts flagged, resolutions, several claimants.
    const state = await serverState(target.url);
    expect(state.conflicts!.length).toBeGreaterThan(0);
    expect((state.images as { claim_conflict: boolean }[]).filter((i) => i.claim_conflict).length).toBeGreaterThan(2);
    expect(new Set((state.claims as { client_id: string }[]).map((c) => c.client_id)).size).toBe(3);
  });
});
