// A write to the server by someone other than a push (a DBA's SQL, another tool), landing between a batch's read of
// the server's rows and its merge, must not be written over: the merge decides on what the read saw, so the batch
// runs at REPEATABLE READ and such a write makes it fail with a serialisation error, which the push retries from a
// fresh read; the rules then apply to the value the server really holds.
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { claimLabels, imageIdBySha, shaFor } from '../../../fixtures/catalog-rows';
import { curatorsOfSuite, openCurator, openCuratorServer, push } from '../../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';

const sha = shaFor('shared-0');

describe.skipIf(!hasPostgres)(
  `a write to the server during a push's batch${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    const { servers, curators } = curatorsOfSuite();

    it('is not written over by the merge: the batch is retried from a fresh read and keeps the human decision', async () => {
      const s = await openCuratorServer();
      servers.push(s);
      const ana = openCurator('ana');
      curators.push(ana);
      const pg = await s.db.connect();
      const image = imageIdBySha(ana.lib.db, sha);
      try {
        // The server holds ana's claim; she then claims another species.
        claimLabels(ana.lib.db, [image], 'Amanita muscaria');
        await push(ana, s.curatorUrl);
        claimLabels(ana.lib.db, [image], 'Boletus edulis');
        // While her push is between its read and its merge, a curator decides the image with another tool.
        let reads = 0;
        const result = await runSync(ana.lib, {
          url: s.curatorUrl,
          initSchema: false,
          dryRun: false,
          afterRead: async (batch) => {
            reads++;
            if (batch === 1 && reads === 1)
              await pg.query(
                `UPDATE media.image SET label_state = 'human_verified', taxon = 'Amanita phalloides', label_author = 'carla' WHERE sha256 = $1`,
                [sha],
              );
          },
        });
        // The first read was discarded: the batch ran again, saw the decision and kept it (a claim never replaces it).
        expect(reads).toBe(2);
        expect(result).toMatchObject({ pushed: 1 });
        const row = await pg.query(`SELECT label_state, taxon, label_author FROM media.image WHERE sha256 = $1`, [sha]);
        expect(row.rows[0]).toEqual({ label_state: 'human_verified', taxon: 'Amanita phalloides', label_author: 'carla' });
        // And the pull brought it home.
        expect(ana.lib.db.prepare(`SELECT state, taxon FROM label WHERE image_id = ?`).get(image)).toEqual({
          state: 'human_verified',
          taxon: 'Amanita phalloides',
        });
      } finally {
        await pg.end();
      }
    });
  },
);
