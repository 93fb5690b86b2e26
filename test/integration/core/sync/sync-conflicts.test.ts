// Conflict rules with two client catalogues pushing to one real PostgreSQL: human decisions win, disagreements dispute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { claimLabels, decide, imageIdBySha, insertImages, shaFor, undoLast } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';
import type pg from 'pg';

interface Client {
  lib: Library;
  cleanup: () => Promise<void>;
  /** Local image id of shared image n. */
  id: (n: number) => number;
}

function openClient(curator: string): Client {
  const { lib, cleanup } = openTempLibrary({ SPOREPRINT_CURATOR: curator, SYNC_BATCH_SIZE: '25' });
  insertImages(lib.db, 'shared', 12);
  return { lib, cleanup, id: (n) => imageIdBySha(lib.db, shaFor(`shared-${n}`)) };
}

function localLabel(c: Client, n: number) {
  return c.lib.db.prepare(`SELECT taxon, state, author FROM label WHERE image_id = ?`).get(c.id(n)) as
    { taxon: string; state: string; author: string | null } | undefined;
}

describe.skipIf(!hasPostgres)(`sync conflict rules${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let server: pg.Client;
  let ana: Client;
  let ben: Client;

  async function sync(c: Client, initSchema = false) {
    const { jobId } = await c.lib.invoke('sync.start', { url: target.url, initSchema });
    const job = await c.lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    return job.result as Record<string, number>;
  }
  async function serverLabel(n: number) {
    const r = await server.query(`SELECT taxon, label_state, label_author FROM media.image WHERE sha256 = $1`, [shaFor(`shared-${n}`)]);
    return r.rows[0] as { taxon: string | null; label_state: string | null; label_author: string | null };
  }
  async function serverEvents(n: number) {
    const r = await server.query(`SELECT action, to_state, to_taxon, author FROM media.label_event WHERE image_sha256 = $1 ORDER BY id`, [
      shaFor(`shared-${n}`),
    ]);
    return r.rows as { action: string; to_state: string; to_taxon: string; author: string | null }[];
  }

  beforeAll(async () => {
    target = await createTempDatabase();
    ana = openClient('ana');
    ben = openClient('ben');
    claimLabels(
      ana.lib.db,
      Array.from({ length: 12 }, (_, n) => ana.id(n)),
      'Amanita muscaria',
    );
    await sync(ana, true);
    server = await target.connect();
  });
  afterAll(async () => {
    await server?.end();
    await ana?.cleanup();
    await ben?.cleanup();
    await target?.drop();
  });

  it('never replaces a human_verified label on the server with a source claim or model suggestion', async () => {
    decide(ana.lib.db, ana.id(0), 'Amanita pantherina', 'ana');
    await sync(ana);
    claimLabels(ben.lib.db, [ben.id(0)], 'Boletus edulis', 'model_suggested');
    claimLabels(ben.lib.db, [ben.id(1)], 'Russula emetica', 'source_claimed');
    const result = await sync(ben);
    expect(result.keptServer).toBeGreaterThanOrEqual(1);
    expect(await serverLabel(0)).toEqual({ taxon: 'Amanita pantherina', label_state: 'human_verified', label_author: 'ana' });
    // The suggestion is still in the audit trail, only the label did not move.
    expect((await serverEvents(0)).map((e) => e.to_taxon)).toEqual(['Amanita muscaria', 'Amanita pantherina', 'Boletus edulis']);
    // Ben's catalogue now shows the curator's decision from the server.
    expect(localLabel(ben, 0)).toEqual({ taxon: 'Amanita pantherina', state: 'human_verified', author: 'ana' });
    // Between unverified labels the newer claim may move the server's label.
    expect(await serverLabel(1)).toMatchObject({ taxon: 'Russula emetica', label_state: 'source_claimed' });

    // Forgetting the cursor and pushing everything again still cannot downgrade the decision.
    ben.lib.db.prepare(`UPDATE sync_state SET value = '0' WHERE key = 'push_cursor'`).run();
    ben.lib.db.prepare(`UPDATE sync_image SET pushed_event_id = 0`).run();
    claimLabels(ben.lib.db, [ben.id(5)], 'Boletus edulis', 'model_suggested');
    await sync(ben);
    expect(await serverLabel(0)).toMatchObject({ label_state: 'human_verified', taxon: 'Amanita pantherina' });
  });

  it('two curators with different decisions on one image make it disputed, keeping both in label_event', async () => {
    decide(ana.lib.db, ana.id(2), 'Cantharellus cibarius', 'ana');
    decide(ben.lib.db, ben.id(2), 'Hygrophoropsis aurantiaca', 'ben');
    await sync(ana);
    const result = await sync(ben);
    expect(result.disputes).toBe(1);
    expect(await serverLabel(2)).toMatchObject({ label_state: 'disputed', taxon: 'Cantharellus cibarius' });
    const events = await serverEvents(2);
    expect(events.filter((e) => e.action === 'verify').map((e) => [e.to_taxon, e.author])).toEqual([
      ['Cantharellus cibarius', 'ana'],
      ['Hygrophoropsis aurantiaca', 'ben'],
    ]);
    expect(events.at(-1)).toMatchObject({ action: 'dispute', to_state: 'disputed', to_taxon: 'Hygrophoropsis aurantiaca', author: 'ben' });
    // Both curators see the dispute after their next sync.
    expect(localLabel(ben, 2)?.state).toBe('disputed');
    await sync(ana);
    expect(localLabel(ana, 2)?.state).toBe('disputed');
    expect((await ana.lib.invoke('sync.status', {})).disputes).toBe(1);
    const history = ana.lib.db.prepare(`SELECT action, to_state FROM label_event WHERE image_id = ? ORDER BY id`).all(ana.id(2));
    expect(history.at(-1)).toEqual({ action: 'sync', to_state: 'disputed' });
    // Pulled state is not pushed back as a change of ana's.
    expect((await ana.lib.invoke('sync.status', {})).pending).toBe(0);
  });

  it('a decision made after seeing the dispute resolves it for everyone', async () => {
    decide(ana.lib.db, ana.id(2), 'Cantharellus cibarius', 'ana');
    await sync(ana);
    expect(await serverLabel(2)).toMatchObject({ label_state: 'human_verified', taxon: 'Cantharellus cibarius' });
    await sync(ben);
    expect(localLabel(ben, 2)).toMatchObject({ state: 'human_verified', taxon: 'Cantharellus cibarius' });
    expect((await ben.lib.invoke('sync.status', {})).disputes).toBe(0);
  });

  it('a curator revising their own decision, or two curators agreeing, is not a dispute', async () => {
    decide(ana.lib.db, ana.id(3), 'Lactarius deliciosus', 'ana');
    await sync(ana);
    decide(ana.lib.db, ana.id(3), 'Lactarius deterrimus', 'ana');
    await sync(ana);
    expect(await serverLabel(3)).toMatchObject({ label_state: 'human_verified', taxon: 'Lactarius deterrimus' });

    decide(ana.lib.db, ana.id(4), 'Morchella esculenta', 'ana');
    decide(ben.lib.db, ben.id(4), 'Morchella esculenta', 'ben');
    await sync(ana);
    const result = await sync(ben);
    expect(result.disputes).toBe(0);
    expect(await serverLabel(4)).toMatchObject({ label_state: 'human_verified', taxon: 'Morchella esculenta', label_author: 'ana' });
    expect((await serverEvents(4)).filter((e) => e.action === 'verify')).toHaveLength(2);
  });

  it("a human decision replaces another client's unverified label", async () => {
    decide(ben.lib.db, ben.id(6), 'Craterellus cornucopioides', 'ben');
    await sync(ben);
    expect(await serverLabel(6)).toEqual({ taxon: 'Craterellus cornucopioides', label_state: 'human_verified', label_author: 'ben' });
    await sync(ana);
    expect(localLabel(ana, 6)).toEqual({ taxon: 'Craterellus cornucopioides', state: 'human_verified', author: 'ben' });
  });

  it("lets a curator undo their own decision, but an undo cannot take back another curator's", async () => {
    decide(ana.lib.db, ana.id(7), 'Tricholoma matsutake', 'ana');
    await sync(ana);
    undoLast(ana.lib.db, ana.id(7), 'ana');
    await sync(ana);
    expect(await serverLabel(7)).toMatchObject({ label_state: 'source_claimed', taxon: 'Amanita muscaria' });
    expect(localLabel(ana, 7)).toMatchObject({ state: 'source_claimed', taxon: 'Amanita muscaria' });

    decide(ben.lib.db, ben.id(8), 'Tricholoma equestre', 'ben');
    await sync(ben);
    // Meanwhile ana decided and took it back without syncing: her undo must not clear ben's decision.
    decide(ana.lib.db, ana.id(8), 'Tricholoma sulphureum', 'ana');
    undoLast(ana.lib.db, ana.id(8), 'ana');
    const result = await sync(ana);
    expect(result.disputes).toBe(0);
    expect(await serverLabel(8)).toEqual({ taxon: 'Tricholoma equestre', label_state: 'human_verified', label_author: 'ben' });
    expect(localLabel(ana, 8)).toEqual({ taxon: 'Tricholoma equestre', state: 'human_verified', author: 'ben' });
  });

  it('two curators syncing at the same moment still dispute every image they disagree on, exactly once', async () => {
    const race = (c: Client, taxon: string, author: string) => {
      const ids = insertImages(c.lib.db, 'race', 200);
      for (const id of ids) decide(c.lib.db, id, taxon, author);
    };
    race(ana, 'Boletus edulis', 'ana');
    race(ben, 'Boletus pinophilus', 'ben');
    // Small batches so the two pushes interleave on the server.
    await Promise.all([sync(ana), sync(ben)]);
    const states = await server.query(
      `SELECT label_state, count(*)::int AS n FROM media.image WHERE sha256 = ANY($1) GROUP BY label_state`,
      [Array.from({ length: 200 }, (_, n) => shaFor(`race-${n}`))],
    );
    expect(states.rows).toEqual([{ label_state: 'disputed', n: 200 }]);
    const events = await server.query(
      `SELECT action, count(*)::int AS n FROM media.label_event e JOIN media.image i ON i.sha256 = e.image_sha256
       WHERE i.sha256 = ANY($1) GROUP BY action ORDER BY action`,
      [Array.from({ length: 200 }, (_, n) => shaFor(`race-${n}`))],
    );
    expect(events.rows).toEqual([
      { action: 'dispute', n: 200 },
      { action: 'verify', n: 400 },
    ]);
  });
});
