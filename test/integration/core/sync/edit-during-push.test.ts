// A curator may keep deciding while a push runs. A batch's record (local-changes.ts recordBatchPushed) must not mirror
// the server's label over a decision made after the batch was read: that decision is pushed later, and weighed then.
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { claimLabels, decide, imageIdBySha, shaFor } from '../../../fixtures/catalog-rows';
import { curatorsOfSuite, openCurator, openCuratorServer, push } from '../../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';

const X = shaFor('shared-0');

describe.skipIf(!hasPostgres)(
  `a decision made during a push${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    const { servers, curators } = curatorsOfSuite();

    it("is not overwritten by the server's label the push read before it, and reaches the server as a dispute", async () => {
      const s = await openCuratorServer();
      servers.push(s);
      const ana = openCurator('ana');
      const ben = openCurator('ben');
      curators.push(ana, ben);
      const pg = await s.db.connect();
      try {
        decide(ana.lib.db, imageIdBySha(ana.lib.db, X), 'Amanita pantherina', 'ana');
        await push(ana, s.curatorUrl);
        // Ben's library claims all six from a folder name (X first, so it is in his first batch); his push keeps Ana's
        // decision for X (human over claim)...
        const x = imageIdBySha(ben.lib.db, X);
        const all = [0, 1, 2, 3, 4, 5].map((n) => imageIdBySha(ben.lib.db, shaFor(`shared-${n}`)));
        expect(all[0]).toBe(x);
        claimLabels(ben.lib.db, all, 'Amanita muscaria');
        let decided = false;
        const result = await runSync(ben.lib, {
          url: s.curatorUrl,
          initSchema: false,
          dryRun: false,
          // ...while Ben, before the first batch (images 0-3, X among them) commits, decides X himself.
          beforeCommit: async (batch) => {
            if (batch !== 1) return;
            decide(ben.lib.db, x, 'Amanita regalis', 'ben');
            decided = true;
          },
        });
        expect(decided).toBe(true);
        // Batches of four: 0-3, then 4-5 (read while the first was written), then X again with Ben's decision.
        expect(result).toMatchObject({ batches: 3, pushed: 7, disputes: 1 });
        const server = await pg.query(`SELECT label_state, taxon FROM media.image WHERE sha256 = $1`, [X]);
        expect(server.rows[0]).toEqual({ label_state: 'disputed', taxon: 'Amanita pantherina' });
        const events = await pg.query(
          `SELECT author, action, to_taxon FROM media.label_event WHERE image_sha256 = $1 AND author = 'ben' ORDER BY id`,
          [X],
        );
        expect(events.rows).toContainEqual({ author: 'ben', action: 'verify', to_taxon: 'Amanita regalis' });
        const local = ben.lib.db.prepare(`SELECT state FROM label WHERE image_id = ?`).get(x);
        expect(local).toEqual({ state: 'disputed' });
      } finally {
        await pg.end();
      }
    });
  },
);
