// Several curators' libraries on one server, pushing as the --create-role curator role: claims, vectors, authors.
import { describe, expect, it } from 'vitest';
import { decide, imageIdBySha, insertVectors, shaFor } from '../../../fixtures/catalog-rows';
import { curatorsOfSuite, openCurator, openCuratorServer, push, type Curator } from '../../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';

const sha = (n: number) => shaFor(`shared-${n}`);

/** Sets what a library claims for image n (NULL: ingested without a sidecar). */
function claim(c: Curator, n: number, license: string | null, attribution: string | null, sourceUrl: string | null = null) {
  c.lib.db
    .prepare(`UPDATE image SET license = ?, attribution = ?, source_url = ? WHERE sha256 = ?`)
    .run(license, attribution, sourceUrl, sha(n));
}

describe.skipIf(!hasPostgres)(
  `several curators on one server${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    // node-postgres deprecates queueing a query while another runs; every push step must await the previous one.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const { servers, curators } = curatorsOfSuite(() => process.off('warning', onWarning));
    async function server() {
      const s = await openCuratorServer();
      servers.push(s);
      const pg = await s.db.connect();
      return { s, pg };
    }
    function curator(name: string, count?: number) {
      const c = openCurator(name, count);
      curators.push(c);
      return c;
    }

    for (const order of [
      ['ana', 'ben'],
      ['ben', 'ana'],
    ]) {
      it(`two curators pushing ${order.join(' then ')}: NULL never overwrites, different values are both kept and flagged`, async () => {
        const { s, pg } = await server();
        try {
          const libs: Record<string, Curator> = { ana: curator('ana'), ben: curator('ben') };
          // Image 0: ana has the sidecar, ben ingested the bytes without one. Image 1: they disagree on the licence.
          claim(libs.ana!, 0, 'CC-BY-SA-4.0', 'Ana Lima', 'https://example.org/obs/1');
          claim(libs.ben!, 0, null, null);
          claim(libs.ana!, 1, 'CC-BY-4.0', 'Ana Lima');
          claim(libs.ben!, 1, 'CC0-1.0', 'Ana Lima');
          for (const name of order) await push(libs[name]!, s.curatorUrl);
          // Each pushes again: the first one's second push must not flip anything back.
          for (const name of order) await push(libs[name]!, s.curatorUrl);

          const image0 = await pg.query(`SELECT license, attribution, source_url, claim_conflict FROM media.image WHERE sha256 = $1`, [
            sha(0),
          ]);
          expect(image0.rows[0]).toEqual({
            license: 'CC-BY-SA-4.0',
            attribution: 'Ana Lima',
            source_url: 'https://example.org/obs/1',
            claim_conflict: false,
          });
          const first = order[0] === 'ana' ? 'CC-BY-4.0' : 'CC0-1.0';
          const image1 = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(1)]);
          expect(image1.rows[0]).toEqual({ license: first, claim_conflict: true });
          const claims = await pg.query(`SELECT c.author, c.license FROM media.image_claim c WHERE image_sha256 = $1 ORDER BY author`, [
            sha(1),
          ]);
          expect(claims.rows).toEqual([
            { author: 'ana', license: 'CC-BY-4.0' },
            { author: 'ben', license: 'CC0-1.0' },
          ]);
          const listed = await pg.query(`SELECT DISTINCT image_sha256, field FROM media.claim_conflict`);
          expect(listed.rows).toEqual([{ image_sha256: sha(1), field: 'license' }]);

          // Both libraries list the conflict after their sync (sync --status, the Sync view).
          for (const name of order) {
            const status = await libs[name]!.lib.invoke('sync.status', {});
            expect(status.conflicts).toHaveLength(1);
            expect(status.conflicts[0]).toMatchObject({ sha256: sha(1), field: 'license', shown: first });
            expect(status.conflicts[0]!.claims.map((c) => c.value).sort()).toEqual(['CC-BY-4.0', 'CC0-1.0']);
          }
        } finally {
          await pg.end();
        }
      });
    }

    for (const order of [
      ['ana', 'ben', 'cleo'],
      ['cleo', 'ben', 'ana'],
    ]) {
      it(`three curators pushing ${order.join(', ')}: the first non-null claim shows, a NULL from anyone changes nothing`, async () => {
        const { s, pg } = await server();
        try {
          const libs: Record<string, Curator> = { ana: curator('ana'), ben: curator('ben'), cleo: curator('cleo') };
          claim(libs.ana!, 2, 'CC-BY-4.0', 'Ana Lima');
          claim(libs.ben!, 2, null, null);
          claim(libs.cleo!, 2, 'CC-BY-NC-4.0', null);
          for (const name of order) await push(libs[name]!, s.curatorUrl);
          await push(libs.ben!, s.curatorUrl);
          const firstLicence = order.find((n) => n !== 'ben') === 'ana' ? 'CC-BY-4.0' : 'CC-BY-NC-4.0';
          const row = await pg.query(`SELECT license, attribution, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(2)]);
          expect(row.rows[0]).toEqual({ license: firstLicence, attribution: 'Ana Lima', claim_conflict: true });
          const claims = await pg.query(
            `SELECT author FROM media.image_claim WHERE image_sha256 = $1 AND license IS NOT NULL ORDER BY author`,
            [sha(2)],
          );
          expect(claims.rows.map((r) => r.author)).toEqual(['ana', 'cleo']);
          // Images nobody disagrees on are not flagged.
          const flagged = await pg.query(`SELECT count(*)::int AS n FROM media.image WHERE claim_conflict`);
          expect(flagged.rows[0].n).toBe(1);
        } finally {
          await pg.end();
        }
      });
    }

    it('a curator correcting their own claim replaces it; another curator then disagreeing is flagged', async () => {
      const { s, pg } = await server();
      try {
        const ana = curator('ana');
        const ben = curator('ben');
        claim(ana, 3, 'CC-BY-4.0', 'Ana Lima');
        await push(ana, s.curatorUrl);
        claim(ana, 3, 'CC-BY-SA-4.0', 'Ana Lima');
        await push(ana, s.curatorUrl);
        const own = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(3)]);
        expect(own.rows[0]).toEqual({ license: 'CC-BY-SA-4.0', claim_conflict: false });
        claim(ben, 3, 'CC0-1.0', 'Ana Lima');
        await push(ben, s.curatorUrl);
        const disputed = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(3)]);
        expect(disputed.rows[0]).toEqual({ license: 'CC-BY-SA-4.0', claim_conflict: true });
      } finally {
        await pg.end();
      }
    });

    it('keeps vectors per (image, model): another model never replaces them, a different size for a model is refused', async () => {
      const { s, pg } = await server();
      try {
        const ana = curator('ana', 4);
        const ben = curator('ben', 4);
        const anaIds = [0, 1, 2, 3].map((n) => imageIdBySha(ana.lib.db, sha(n)));
        const benIds = [0, 1, 2, 3].map((n) => imageIdBySha(ben.lib.db, sha(n)));
        const anaVectors = insertVectors(ana.lib.db, 'clip-b32', anaIds, 512);
        insertVectors(ben.lib.db, 'descriptor-v1', benIds, 96);
        await push(ana, s.curatorUrl);
        await push(ben, s.curatorUrl);
        const rows = await pg.query(`SELECT model, dim, count(*)::int AS n FROM media.image_embedding GROUP BY model, dim ORDER BY model`);
        expect(rows.rows).toEqual([
          { model: 'clip-b32', dim: 512, n: 4 },
          { model: 'descriptor-v1', dim: 96, n: 4 },
        ]);
        // ::real[] reads both storages (pgvector's vector where the extension exists, real[] elsewhere).
        const kept = await pg.query(
          `SELECT embedding::real[] AS embedding FROM media.image_embedding WHERE image_sha256 = $1 AND model = 'clip-b32'`,
          [sha(2)],
        );
        const stored = kept.rows[0].embedding as number[];
        expect(stored).toHaveLength(512);
        expect(stored[7]).toBeCloseTo(anaVectors.get(anaIds[2]!)![7]!, 5);

        // A third library whose 'clip-b32' vectors are 256-d: refused with both sizes named, nothing mixed in.
        const cleo = curator('cleo', 4);
        insertVectors(
          cleo.lib.db,
          'clip-b32',
          [0, 1, 2, 3].map((n) => imageIdBySha(cleo.lib.db, sha(n))),
          256,
        );
        const { jobId } = await cleo.lib.invoke('sync.start', { url: s.curatorUrl });
        const job = await cleo.lib.waitForJob(jobId);
        expect(job.status).toBe('failed');
        expect(job.error).toMatch(/holds 512-d vectors for model clip-b32; this library's are 256-d/);
        const sizes = await pg.query(
          `SELECT DISTINCT cardinality(embedding::real[]) AS d FROM media.image_embedding WHERE model = 'clip-b32'`,
        );
        expect(sizes.rows).toEqual([{ d: 512 }]);
      } finally {
        await pg.end();
      }
    });

    it('every pushed event carries its author and client, and the other library sees who decided', async () => {
      const { s, pg } = await server();
      try {
        const ana = curator('ana');
        const ben = curator('ben');
        // A decision recorded without an author (SPOREPRINT_CURATOR was unset then): the push signs it with ana.
        decide(ana.lib.db, imageIdBySha(ana.lib.db, sha(4)), 'Amanita muscaria', 'ana');
        ana.lib.db.prepare(`UPDATE label_event SET author = NULL`).run();
        await push(ana, s.curatorUrl);
        const anaClient = (ana.lib.db.prepare(`SELECT value FROM sync_state WHERE key = 'client_id'`).get() as { value: string }).value;
        const events = await pg.query(`SELECT author, client_id, action FROM media.label_event`);
        expect(events.rows).toEqual([{ author: 'ana', client_id: anaClient, action: 'verify' }]);
        await push(ben, s.curatorUrl);
        const status = await ben.lib.invoke('sync.status', {});
        expect(status.decisions[0]).toMatchObject({
          imageId: imageIdBySha(ben.lib.db, sha(4)),
          action: 'sync',
          taxon: 'Amanita muscaria',
          state: 'human_verified',
          author: 'ana',
          client: anaClient,
        });
      } finally {
        await pg.end();
      }
    });

    it('a representative arriving in the batch that merges the image waiting for it: the link its claim made stays', async () => {
      const { s, pg } = await server();
      try {
        const ana = curator('ana', 2);
        const ben = curator('ben', 2);
        // ana holds image 0 as a redundant copy of image 1, and pushes only image 0: its claim waits for image 1.
        const [member, representative] = [0, 1].map((n) => imageIdBySha(ana.lib.db, sha(n))) as [number, number];
        const cluster = Number(
          ana.lib.db.prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link) VALUES (?, 10, 4)`).run(representative)
            .lastInsertRowid,
        );
        const join = ana.lib.db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
        join.run(representative, cluster, 0);
        join.run(member, cluster, 3);
        ana.lib.db.prepare(`DELETE FROM sync_change WHERE image_id = ?`).run(representative);
        await push(ana, s.curatorUrl);
        const before = await pg.query(`SELECT duplicate_of FROM media.image WHERE sha256 = $1`, [sha(0)]);
        expect(before.rows).toEqual([{ duplicate_of: null }]);

        // ben's one batch: image 0 is merged (a decision rewrites its row), image 1 arrives, so ana's claim takes effect
        // in the same transaction, and the merge that follows must not write image 0's old (empty) link back.
        decide(ben.lib.db, imageIdBySha(ben.lib.db, sha(0)), 'Amanita muscaria', 'ben');
        await push(ben, s.curatorUrl);
        const after = await pg.query(`SELECT duplicate_of, label_state FROM media.image WHERE sha256 = $1`, [sha(0)]);
        expect(after.rows).toEqual([{ duplicate_of: sha(1), label_state: 'human_verified' }]);
      } finally {
        await pg.end();
      }
    });

    it('pushed everything without a pg deprecation warning', () => {
      expect(warnings.filter((w) => /pg@9|deprecated/i.test(w))).toEqual([]);
    });

    it('identifies the server by system identifier and database: localhost and 127.0.0.1 share one cursor', async () => {
      const { s, pg } = await server();
      await pg.end();
      const ana = curator('ana');
      const first = await push(ana, s.curatorUrl.replace('127.0.0.1', 'localhost'));
      expect(first.pushed).toBe(6);
      const again = await push(ana, s.curatorUrl.replace('localhost', '127.0.0.1'));
      expect(again.pushed).toBe(0);
    });
  },
);
