// Sync carries the compression-artefacts component of quality v2 to media.image.quality_artefacts: measured values
// arrive, a v1 score (artefacts never measured) arrives as NULL and never clears another curator's measure, a
// change of the artefacts alone makes the image pending, and the server refuses values outside 0-100.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { insertImages } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';

async function sync(lib: Library, url: string, initSchema = false) {
  const { jobId } = await lib.invoke('sync.start', { url, initSchema });
  const job = await lib.waitForJob(jobId);
  expect(job.error).toBeNull();
  return job;
}

describe.skipIf(!hasPostgres)(`sync of quality artefacts${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let ana: { lib: Library; cleanup: () => Promise<void> };
  let ben: { lib: Library; cleanup: () => Promise<void> };
  let ids: number[];

  const serverArtefacts = async (): Promise<Map<string, number | null>> => {
    const pg = await target.connect();
    try {
      const rows = await pg.query<{ sha256: string; a: number | null }>(`SELECT sha256, quality_artefacts AS a FROM media.image`);
      return new Map(rows.rows.map((r) => [r.sha256, r.a]));
    } finally {
      await pg.end();
    }
  };
  const shaOf = (lib: Library, id: number) => lib.db.prepare(`SELECT sha256 FROM image WHERE id = ?`).pluck().get(id) as string;

  beforeAll(async () => {
    target = await createTempDatabase();
    ana = openTempLibrary({ SPOREPRINT_CURATOR: 'ana' });
    ben = openTempLibrary({ SPOREPRINT_CURATOR: 'ben' });
    ids = insertImages(ana.lib.db, 'qa', 3);
    // Image 0 scored by v2 with visible blocking, image 1 by v2 clean, image 2 still at v1 (column default).
    ana.lib.db.prepare(`UPDATE image SET quality_version = 2, quality_artefacts = 40 WHERE id = ?`).run(ids[0]);
    ana.lib.db.prepare(`UPDATE image SET quality_version = 2, quality_artefacts = 100 WHERE id = ?`).run(ids[1]);
  });
  afterAll(async () => {
    await ana?.cleanup();
    await ben?.cleanup();
    await target?.drop();
  });

  it('pushes the measured artefacts, and NULL for a score from before quality v2', async () => {
    await sync(ana.lib, target.url, true);
    const server = await serverArtefacts();
    expect(server.get(shaOf(ana.lib, ids[0]!))).toBe(40);
    expect(server.get(shaOf(ana.lib, ids[1]!))).toBe(100);
    expect(server.get(shaOf(ana.lib, ids[2]!))).toBeNull();
  });

  it('makes an image pending when only its artefacts change, and pushes the new value', async () => {
    expect((await ana.lib.invoke('sync.status', {})).pending).toBe(0);
    ana.lib.db.prepare(`UPDATE image SET quality_artefacts = 55 WHERE id = ?`).run(ids[0]);
    expect((await ana.lib.invoke('sync.status', {})).pending).toBe(1);
    await sync(ana.lib, target.url);
    expect((await serverArtefacts()).get(shaOf(ana.lib, ids[0]!))).toBe(55);
  });

  it('never clears a measured value with the NULL of a library still at quality v1', async () => {
    // Ben holds the same photos, all scored before quality v2.
    insertImages(ben.lib.db, 'qa', 3);
    await sync(ben.lib, target.url);
    const server = await serverArtefacts();
    expect(server.get(shaOf(ana.lib, ids[0]!))).toBe(55);
    expect(server.get(shaOf(ana.lib, ids[1]!))).toBe(100);
  });

  it('refuses artefacts outside 0-100 on the server', async () => {
    const pg = await target.connect();
    try {
      await expect(pg.query(`UPDATE media.image SET quality_artefacts = 101 WHERE sha256 = $1`, [shaOf(ana.lib, ids[0]!)])).rejects.toThrow(
        /image_quality_artefacts_range/,
      );
    } finally {
      await pg.end();
    }
  });
});
