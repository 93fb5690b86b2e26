// A server label the catalogue cannot hold (a rank outside TAXON_RANKS, a state without a taxon) is refused on its
// way in, with the reason in the sync result, and the local label kept; before, it was stored and the label
// history then failed with an INTERNAL error where the rank is parsed.
import { describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { readLabelHistory } from '../../../../src-main/core/labels/label-queries';
import { readLabelRow } from '../../../../src-main/core/labels/label-repository';
import { mirrorServerLabel } from '../../../../src-main/core/sync/apply-server-label';
import { claimLabels, imageIdBySha, insertImages, shaFor } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';
import { openTempCatalog, openTempLibrary } from '../../../fixtures/temp-library';

describe('mirroring a server label into the catalogue', () => {
  it('refuses a bad rank, a bad state or a missing taxon with the reason, and keeps the local label and base revision', () => {
    const { db, cleanup } = openTempCatalog();
    try {
      const [id] = insertImages(db, 'mirror', 1) as [number];
      claimLabels(db, [id], 'Amanita muscaria');
      const before = readLabelRow(db, id);
      const events = readLabelHistory(db, id).length;
      const mirror = (label: { taxon: string | null; rank: string | null; state: string | null }) =>
        db.transaction(() => mirrorServerLabel(db, id, { ...label, author: 'dba', client: 'psql', rev: 7 }))();
      const serverRev = () => db.prepare(`SELECT server_rev FROM sync_image WHERE image_id = ?`).pluck().get(id);

      const badRank = mirror({ taxon: 'Amanita regalis', rank: 'Species', state: 'human_verified' });
      expect(badRank.changed).toBe(false);
      expect(badRank.refused).toMatch(
        /image \d+: the server's label \(Amanita regalis, rev 7\) was not taken: rank "Species" is not one of kingdom/,
      );
      expect(mirror({ taxon: 'Amanita regalis', rank: 'species', state: 'approved' }).refused).toMatch(/state "approved" is not one of/);
      expect(mirror({ taxon: ' ', rank: 'species', state: 'human_verified' }).refused).toMatch(/a label needs a taxon/);
      expect(mirror({ taxon: null, rank: null, state: 'disputed' }).refused).toMatch(
        /\(no taxon, rev 7\) was not taken: .*expected string, received null/,
      );
      expect(readLabelRow(db, id)).toEqual(before);
      expect(readLabelHistory(db, id)).toHaveLength(events);
      expect(serverRev()).toBeUndefined();

      // A good label is taken, and its history reads back through the strict parse.
      expect(mirror({ taxon: 'Amanita regalis', rank: 'species', state: 'human_verified' })).toEqual({ changed: true, refused: null });
      expect(readLabelRow(db, id)).toMatchObject({ taxon: 'Amanita regalis', rank: 'species', state: 'human_verified', author: 'dba' });
      expect(readLabelHistory(db, id).at(-1)).toMatchObject({ action: 'sync', toTaxon: 'Amanita regalis', rank: 'species' });
      expect(serverRev()).toBe(7);
      // No label on the server: only the base revision moves.
      expect(db.transaction(() => mirrorServerLabel(db, id, { taxon: null, rank: null, state: null, author: null, rev: 8 }))()).toEqual({
        changed: false,
        refused: null,
      });
      expect(serverRev()).toBe(8);
    } finally {
      cleanup();
    }
  });
});

describe.skipIf(!hasPostgres)(`a bad rank on the server${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  it('is refused by the pull with the reason in the sync result, and taken once fixed on the server', async () => {
    const target = await createTempDatabase();
    const server = await target.connect();
    const ana = openTempLibrary();
    const ben = openTempLibrary();
    try {
      for (const { lib } of [ana, ben]) {
        insertImages(lib.db, 'rank', 2);
        claimLabels(lib.db, [imageIdBySha(lib.db, shaFor('rank-0'))], 'Amanita muscaria');
      }
      const sync = async (lib: Library, initSchema = false) => {
        const job = await lib.waitForJob((await lib.invoke('sync.start', { url: target.url, initSchema })).jobId);
        expect(job.error).toBeNull();
        return job.result as { refusedLabels: string[] };
      };
      await sync(ana.lib, true);
      await sync(ben.lib);
      const setServerRank = (rank: string) =>
        server.query(
          `UPDATE media.image SET taxon = 'Amanita regalis', rank = $2, label_state = 'human_verified', label_author = 'dba',
             label_client = 'psql', label_rev = label_rev + 1, label_seq = nextval('media.label_seq') WHERE sha256 = $1`,
          [shaFor('rank-0'), rank],
        );
      // Another SQL client writes a rank no Sporeprint library would.
      await setServerRank('Species');
      expect((await sync(ben.lib)).refusedLabels).toEqual([
        expect.stringMatching(/the server's label \(Amanita regalis, rev \d+\) was not taken: rank "Species"/),
      ]);
      const benId = imageIdBySha(ben.lib.db, shaFor('rank-0'));
      expect((await ben.lib.invoke('labels.history', { imageId: benId })).at(-1)).toMatchObject({
        action: 'claim',
        toTaxon: 'Amanita muscaria',
      });
      expect(readLabelRow(ben.lib.db, benId)).toMatchObject({ taxon: 'Amanita muscaria', rank: 'species', state: 'source_claimed' });

      await setServerRank('species');
      expect((await sync(ben.lib)).refusedLabels).toEqual([]);
      expect(readLabelRow(ben.lib.db, benId)).toMatchObject({ taxon: 'Amanita regalis', rank: 'species', state: 'human_verified' });
    } finally {
      await server.end();
      await ana.cleanup();
      await ben.cleanup();
      await target.drop();
    }
  });
});
