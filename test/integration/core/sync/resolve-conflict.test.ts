// Resolving a conflict between curators' claims (sync.resolve, `sporeprint sync resolve`) on a real PostgreSQL, as
// the curator role: the choice is recorded and shown, the conflict clears, later pushes keep it, a later claim reopens it.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../../../src-main/core/library';
import { insertImages, shaFor } from '../../../fixtures/catalog-rows';
import { openCurator, openCuratorServer, push, type Curator, type CuratorServer } from '../../../fixtures/curator-server';
import { hasPostgres, POSTGRES_SKIP_REASON } from '../../../fixtures/pg-database';
import { makeTempDir } from '../../../fixtures/temp-library';
import { captureCliText } from '../../../fixtures/capture-cli';

const sha = (n: number) => shaFor(`shared-${n}`);

function claim(c: Curator | Library, n: number, field: 'license' | 'attribution', value: string | null) {
  const db = 'lib' in c ? c.lib.db : c.db;
  db.prepare(`UPDATE image SET ${field} = ? WHERE sha256 = ?`).run(value, sha(n));
}

const cli = (...argv: string[]) => captureCliText(argv);

describe.skipIf(!hasPostgres)(`resolving conflicting claims${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, { timeout: 60_000 }, () => {
  const servers: CuratorServer[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
    for (const s of servers) await s.drop();
  }, 60_000);

  it('records the choice on the server, clears the conflict, and keeps it through later pushes', async () => {
    const s = await openCuratorServer();
    servers.push(s);
    const pg = await s.db.connect();
    try {
      const ana = openCurator('ana', 4);
      const ben = openCurator('ben', 4);
      cleanups.push(ana.cleanup, ben.cleanup);
      claim(ana, 1, 'license', 'CC-BY-4.0');
      claim(ben, 1, 'license', 'CC0-1.0');
      claim(ana, 2, 'attribution', 'Ana Lima');
      claim(ben, 2, 'attribution', 'A. Lima');
      await push(ana, s.curatorUrl);
      await push(ben, s.curatorUrl);
      expect((await ben.lib.invoke('sync.status', {})).conflicts.map((c) => [c.sha256, c.field])).toEqual([
        [sha(1), 'license'],
        [sha(2), 'attribution'],
      ]);

      // A claimant that is not one is refused, naming the claims; an image not in the library too.
      await expect(ben.lib.invoke('sync.resolve', { url: s.curatorUrl, image: sha(1), field: 'license', take: 'cleo' })).rejects.toThrow(
        /no claimant "cleo".*CC-BY-4.0.*CC0-1.0/,
      );
      await expect(ben.lib.invoke('sync.resolve', { url: s.curatorUrl, image: 9999, field: 'license', value: 'CC0-1.0' })).rejects.toThrow(
        /no image 9999/,
      );

      // ben takes ana's licence (by her name) and types the credit.
      const byName = await ben.lib.invoke('sync.resolve', { url: s.curatorUrl, image: sha(1), field: 'license', take: 'ana' });
      expect(byName).toMatchObject({ sha256: sha(1), field: 'license', value: 'CC-BY-4.0', author: 'ben' });
      await ben.lib.invoke('sync.resolve', {
        url: s.curatorUrl,
        image: sha(2),
        field: 'attribution',
        value: 'Ana Lima (photo), Ben Ode (id)',
      });
      const shown = await pg.query(
        `SELECT sha256, license, attribution, claim_conflict FROM media.image WHERE sha256 = ANY($1) ORDER BY sha256`,
        [[sha(1), sha(2)]],
      );
      expect(new Map(shown.rows.map((r) => [r.sha256, r]))).toEqual(
        new Map([
          [sha(1), { sha256: sha(1), license: 'CC-BY-4.0', attribution: 'photographer 1', claim_conflict: false }],
          [sha(2), { sha256: sha(2), license: 'CC-BY-SA-3.0', attribution: 'Ana Lima (photo), Ben Ode (id)', claim_conflict: false }],
        ]),
      );
      expect((await pg.query(`SELECT * FROM media.claim_conflict`)).rows).toEqual([]);
      const recorded = await pg.query(`SELECT image_sha256, field, value, author FROM media.claim_resolution ORDER BY field`);
      expect(recorded.rows).toEqual([
        { image_sha256: sha(2), field: 'attribution', value: 'Ana Lima (photo), Ben Ode (id)', author: 'ben' },
        { image_sha256: sha(1), field: 'license', value: 'CC-BY-4.0', author: 'ben' },
      ]);
      // ben's lists follow at once; ana's at her next sync.
      const benStatus = await ben.lib.invoke('sync.status', {});
      expect(benStatus.conflicts).toEqual([]);
      expect(benStatus.resolutions.map((r) => [r.field, r.value, r.author])).toEqual(
        expect.arrayContaining([
          ['license', 'CC-BY-4.0', 'ben'],
          ['attribution', 'Ana Lima (photo), Ben Ode (id)', 'ben'],
        ]),
      );

      // Both push again with their old claims (touched, so they go out): the choice holds and nothing is flagged.
      claim(ana, 2, 'license', 'CC-BY-SA-3.0');
      claim(ben, 2, 'license', 'CC-BY-SA-3.0');
      claim(ana, 1, 'attribution', 'photographer 1');
      await push(ana, s.curatorUrl);
      await push(ben, s.curatorUrl);
      const after = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(1)]);
      expect(after.rows[0]).toEqual({ license: 'CC-BY-4.0', claim_conflict: false });
      // The typed credit is nobody's claim, yet ben's re-pushed 'A. Lima' does not replace it.
      const typed = await pg.query(`SELECT attribution, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(2)]);
      expect(typed.rows[0]).toEqual({ attribution: 'Ana Lima (photo), Ben Ode (id)', claim_conflict: false });
      expect((await pg.query(`SELECT * FROM media.claim_conflict`)).rows).toEqual([]);
      const anaStatus = await ana.lib.invoke('sync.status', {});
      expect(anaStatus.conflicts).toEqual([]);
      expect(anaStatus.resolutions).toHaveLength(2);

      // A claim made after the choice that differs from it is a new conflict; the chosen value stays shown.
      claim(ben, 1, 'license', 'CC-BY-NC-4.0');
      await push(ben, s.curatorUrl);
      const reopened = await pg.query(`SELECT license, claim_conflict FROM media.image WHERE sha256 = $1`, [sha(1)]);
      expect(reopened.rows[0]).toEqual({ license: 'CC-BY-4.0', claim_conflict: true });
      const listed = await pg.query(`SELECT field, shown, claimed FROM media.claim_conflict`);
      expect(listed.rows).toEqual([{ field: 'license', shown: 'CC-BY-4.0', claimed: 'CC-BY-NC-4.0' }]);
    } finally {
      await pg.end();
    }
  });

  it('`sporeprint sync resolve` takes a claimant by client id prefix, and --status shows the choice', async () => {
    const s = await openCuratorServer();
    servers.push(s);
    const ana = openCurator('ana', 2);
    cleanups.push(ana.cleanup);
    claim(ana, 0, 'license', 'CC-BY-4.0');
    await push(ana, s.curatorUrl);
    const tmp = makeTempDir('sporeprint-cli-resolve-');
    cleanups.push(tmp.cleanup);
    const library = path.join(tmp.dir, 'ben');
    const ben = Library.open(library, { env: { SPOREPRINT_CURATOR: 'ben' } });
    insertImages(ben.db, 'shared', 2);
    claim(ben, 0, 'license', 'CC0-1.0');
    await push({ name: 'ben', lib: ben, cleanup: async () => undefined }, s.curatorUrl);
    const anaClient = (await ben.invoke('sync.status', {})).conflicts[0]!.claims.find((c) => c.author === 'ana')!.client;
    await ben.close();

    const usage = await cli('--library', library, 'sync', 'resolve', sha(0), '--field', 'license');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/exactly one of --take CLAIMANT/);
    const badField = await cli('--library', library, 'sync', 'resolve', sha(0), '--field', 'taxon', '--value', 'x');
    expect(badField.code).toBe(2);
    expect(badField.err).toMatch(/--field, one of license, attribution, source_url, duplicate_of/);

    const resolved = await cli('--library', library, 'sync', 'resolve', sha(0), '--field', 'license', '--take', anaClient.slice(0, 8));
    expect(resolved.err).toBe('');
    expect(resolved.code).toBe(0);
    expect(resolved.out).toMatch(/resolved image \d+ license: CC-BY-4\.0 is shown/);
    const status = await cli('--library', library, 'sync', '--status');
    expect(status.out).toMatch(/conflicts {2}0/);
    expect(status.out).toMatch(/resolved \(newest first\)\n {2}image \d+ license: CC-BY-4\.0 \(chosen by/);
  });
});
