// Sync with labels written through the real labels API (labels.set / labels.undo) rather than SQL fixtures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { claimLabels, imageIdBySha, insertImages, shaFor } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';
import type pg from 'pg';

describe.skipIf(!hasPostgres)(`sync with the labels API${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let server: pg.Client;
  const libs: { lib: Library; cleanup: () => Promise<void> }[] = [];

  function open(curator: string): Library {
    const opened = openTempLibrary({ SPOREPRINT_CURATOR: curator });
    libs.push(opened);
    insertImages(opened.lib.db, 'api', 4);
    return opened.lib;
  }
  const id = (lib: Library, n: number) => imageIdBySha(lib.db, shaFor(`api-${n}`));
  async function sync(lib: Library, initSchema = false) {
    const job = await lib.waitForJob((await lib.invoke('sync.start', { url: target.url, initSchema })).jobId);
    expect(job.error).toBeNull();
  }
  async function serverLabel(n: number) {
    const r = await server.query(`SELECT taxon, label_state FROM media.image WHERE sha256 = $1`, [shaFor(`api-${n}`)]);
    return r.rows[0] as { taxon: string | null; label_state: string | null };
  }

  beforeAll(async () => {
    target = await createTempDatabase();
  });
  afterAll(async () => {
    await server?.end();
    for (const l of libs) await l.cleanup();
    await target?.drop();
  });

  it('pushes decisions and undos made with labels.set / labels.undo, and shows the dispute in the history', async () => {
    const ana = open('ana');
    const ben = open('ben');
    claimLabels(ana.db, [id(ana, 0), id(ana, 1)], 'Amanita muscaria');
    await sync(ana, true);
    server = await target.connect();

    // An undo returns to the source claim (never below it: the claim is evidence), and the server follows.
    await ana.invoke('labels.set', { imageIds: [id(ana, 1)], state: 'disputed', author: 'ana' });
    await sync(ana);
    expect(await serverLabel(1)).toEqual({ taxon: 'Amanita muscaria', label_state: 'disputed' });
    await ana.invoke('labels.undo', { imageId: id(ana, 1) });
    await sync(ana);
    expect(await serverLabel(1)).toEqual({ taxon: 'Amanita muscaria', label_state: 'source_claimed' });

    await ana.invoke('labels.set', { imageIds: [id(ana, 0)], state: 'human_verified', taxon: 'Amanita regalis', author: 'ana' });
    await ben.invoke('labels.set', { imageIds: [id(ben, 0)], state: 'human_verified', taxon: 'Amanita muscaria', author: 'ben' });
    await sync(ana);
    await sync(ben);
    expect(await serverLabel(0)).toEqual({ taxon: 'Amanita regalis', label_state: 'disputed' });
    const history = await ben.invoke('labels.history', { imageId: id(ben, 0) });
    expect(history.at(-1)).toMatchObject({ action: 'sync', toState: 'disputed' });
    const queue = await ben.invoke('labels.queue', { states: ['disputed'] });
    expect(queue.items.map((i) => i.id)).toEqual([id(ben, 0)]);

    // Ben resolves it having seen the dispute; ana's catalogue follows.
    await ben.invoke('labels.set', { imageIds: [id(ben, 0)], state: 'human_verified', taxon: 'Amanita regalis', author: 'ben' });
    await sync(ben);
    await sync(ana);
    expect(await serverLabel(0)).toEqual({ taxon: 'Amanita regalis', label_state: 'human_verified' });
    expect((await ana.invoke('sync.status', {})).disputes).toBe(0);
  });
});
