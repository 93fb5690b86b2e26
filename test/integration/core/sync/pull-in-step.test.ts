// The pull after a push skips the server labels that push found the catalogue holding (run-sync.ts `inStep`). These
// cases make a label the pull must apply share its label_rev (a per-image counter: 1 and 2 recur across images) with
// a label the push kept, so a skip keyed on anything but the label change itself (label_seq) drops a real change.
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { claimLabels, decide, imageIdBySha, shaFor } from '../../../fixtures/catalog-rows';
import { curatorsOfSuite, openCurator, openCuratorServer, push, type Curator } from '../../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';

const sha = (n: number) => shaFor(`shared-${n}`);
const id = (c: Curator, n: number) => imageIdBySha(c.lib.db, sha(n));

function localLabel(c: Curator, n: number) {
  return c.lib.db.prepare(`SELECT taxon, state, author FROM label WHERE image_id = ?`).get(id(c, n)) as
    { taxon: string; state: string; author: string | null } | undefined;
}

/** A change the server holds (a claim's attribution) that leaves the label alone: the image is pushed, its label kept. */
function touchClaim(c: Curator, n: number): void {
  c.lib.db.prepare(`UPDATE image SET attribution = ? WHERE id = ?`).run(`${c.name}, re-checked`, id(c, n));
}

describe.skipIf(!hasPostgres)(
  `the pull after a push skips only the label changes that push kept${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`,
  { timeout: 60_000 },
  () => {
    const { servers, curators } = curatorsOfSuite();
    async function setUp() {
      const s = await openCuratorServer();
      servers.push(s);
      const ana = openCurator('ana');
      const ben = openCurator('ben');
      curators.push(ana, ben);
      const pg = await s.db.connect();
      const serverLabel = async (n: number) =>
        (await pg.query(`SELECT label_rev, label_seq::int AS label_seq FROM media.image WHERE sha256 = $1`, [sha(n)])).rows[0] as {
          label_rev: number;
          label_seq: number;
        };
      return { s, ana, ben, pg, serverLabel };
    }

    it("mirrors another curator's change whose revision number equals a label the push kept", async () => {
      const { s, ana, ben, pg, serverLabel } = await setUp();
      try {
        // Ben's images reach the server unlabelled, so his pull cursor stays before every label below.
        await push(ben, s.curatorUrl);
        // Ana decides Y (image 1), then claims X (image 0): both labels are revision 1 of their image.
        decide(ana.lib.db, id(ana, 1), 'Amanita pantherina', 'ana');
        await push(ana, s.curatorUrl);
        claimLabels(ana.lib.db, [id(ana, 0)], 'Amanita muscaria');
        await push(ana, s.curatorUrl);
        const x = await serverLabel(0);
        const y = await serverLabel(1);
        // The collisions this case is built on: Y's revision equals X's (a skip keyed on label_rev drops Y), and on a
        // fresh server so does Y's label_seq (a set filled with revisions but read by label_seq drops Y too).
        expect({ yRev: y.label_rev, ySeq: y.label_seq }).toEqual({ yRev: x.label_rev, ySeq: x.label_rev });

        // Ben claims X as the server holds it: his push keeps the server's label and finds his catalogue in step.
        claimLabels(ben.lib.db, [id(ben, 0)], 'Amanita muscaria');
        const result = await push(ben, s.curatorUrl);
        expect(result).toMatchObject({ pushed: 1, labelsTaken: 0, pulled: 1 });
        expect(localLabel(ben, 0)).toMatchObject({ taxon: 'Amanita muscaria', state: 'source_claimed' });
        // Y was not in the push; only the pull brings Ana's decision.
        expect(localLabel(ben, 1)).toEqual({ taxon: 'Amanita pantherina', state: 'human_verified', author: 'ana' });
      } finally {
        await pg.end();
      }
    });

    it('applies a label another client changed after the push read it, even at a revision the push kept elsewhere', async () => {
      const { s, ana, ben, pg, serverLabel } = await setUp();
      try {
        // Server: X (image 0) at revision 1, W (image 1) at revision 2; Ben's first sync takes both.
        claimLabels(ana.lib.db, [id(ana, 0), id(ana, 1)], 'Amanita muscaria');
        await push(ana, s.curatorUrl);
        decide(ana.lib.db, id(ana, 1), 'Amanita pantherina', 'ana');
        await push(ana, s.curatorUrl);
        await push(ben, s.curatorUrl);
        expect(localLabel(ben, 0)).toMatchObject({ taxon: 'Amanita muscaria', state: 'source_claimed' });
        expect(localLabel(ben, 1)).toMatchObject({ taxon: 'Amanita pantherina', state: 'human_verified' });

        // Ben's next push carries all six images in step with the server; X and W in the first batch of four.
        for (const n of [0, 1, 2, 3, 4, 5]) touchClaim(ben, n);
        const w = await serverLabel(1);
        let changedAt = 0;
        const result = await runSync(ben.lib, {
          url: s.curatorUrl,
          initSchema: false,
          dryRun: false,
          // The first batch (which read X at revision 1) has committed; before the pull, a SQL client relabels X.
          beforeCommit: async (batch) => {
            if (batch !== 2) return;
            changedAt = batch;
            await pg.query(
              `UPDATE media.image SET taxon = 'Amanita regalis', label_state = 'human_verified', label_author = 'dba',
                 label_client = 'psql', label_rev = label_rev + 1, label_seq = nextval('media.label_seq') WHERE sha256 = $1`,
              [sha(0)],
            );
          },
        });
        expect(changedAt).toBe(2);
        expect(result).toMatchObject({ batches: 2, pushed: 6, labelsTaken: 0 });
        // X's new label is a new change (label_seq) at the revision W was kept at.
        expect((await serverLabel(0)).label_rev).toBe(w.label_rev);
        expect(localLabel(ben, 0)).toEqual({ taxon: 'Amanita regalis', state: 'human_verified', author: 'dba' });
        expect(localLabel(ben, 1)).toMatchObject({ taxon: 'Amanita pantherina', state: 'human_verified' });
      } finally {
        await pg.end();
      }
    });
  },
);
