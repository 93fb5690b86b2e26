// The server's training views select the same images as the catalogue's, clusters and licences included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { claimLabels, decide, insertImages } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { openTempLibrary } from '../../../fixtures/temp-library';

const VIEWS = ['training_general', 'training_hq', 'training_verified'] as const;

describe.skipIf(!hasPostgres)(`server training views${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let lib: Library;
  let cleanup: () => Promise<void>;
  let ids: number[];

  beforeAll(async () => {
    target = await createTempDatabase();
    ({ lib, cleanup } = openTempLibrary());
    ids = insertImages(lib.db, 'views', 120);
    claimLabels(lib.db, ids.slice(0, 100), 'Amanita muscaria');
    for (const id of ids.slice(0, 30)) decide(lib.db, id, 'Amanita rubescens', 'ana');
    decide(lib.db, ids[30]!, 'Amanita citrina', 'ana', 'disputed');
    lib.db
      .prepare(
        `UPDATE image SET license = 'CC-BY-NC-4.0' WHERE id IN (${ids
          .slice(0, 60)
          .filter((_, n) => n % 4 === 0)
          .join(',')})`,
      )
      .run();
    // Large, sharp photos for the HQ view (some of them NC-licensed, which the HQ view leaves out).
    lib.db.prepare(`UPDATE image SET width = 2400, quality_score = 85 WHERE id IN (${ids.slice(40, 70).join(',')})`).run();
    // Cluster: ids[1] represents ids[2] and ids[3]; the curator keeps ids[3] as its own training image.
    const cluster = lib.db
      .prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link) VALUES (?, 10, 4)`)
      .run(ids[1]!).lastInsertRowid;
    const member = lib.db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`);
    member.run(ids[1]!, cluster, 0);
    member.run(ids[2]!, cluster, 3);
    member.run(ids[3]!, cluster, 4);
    lib.db.prepare(`INSERT INTO duplicate_decision (action, image_a) VALUES ('keep', ?)`).run(ids[3]!);
  });
  afterAll(async () => {
    await cleanup?.();
    await target?.drop();
  });

  async function compare(): Promise<Record<string, number>> {
    const { jobId } = await lib.invoke('sync.start', { url: target.url, initSchema: true });
    const job = await lib.waitForJob(jobId);
    expect(job.error).toBeNull();
    const pg = await target.connect();
    const sizes: Record<string, number> = {};
    try {
      for (const view of VIEWS) {
        const local = (lib.db.prepare(`SELECT sha256 FROM ${view} ORDER BY sha256`).all() as { sha256: string }[]).map((r) => r.sha256);
        const remote = (await pg.query<{ sha256: string }>(`SELECT sha256 FROM media.${view} ORDER BY sha256`)).rows.map((r) => r.sha256);
        expect(remote, view).toEqual(local);
        sizes[view] = local.length;
      }
    } finally {
      await pg.end();
    }
    return sizes;
  }

  it('match after the first push', async () => {
    const sizes = await compare();
    // Non-trivial selections: the redundant member, disputed and unlabelled images and NC licences drop out.
    expect(sizes.training_general).toBe(98);
    expect(sizes.training_verified).toBe(29);
    // ids 40-69: 30 large photos, minus the NC ones (40, 44, 48, 52, 56).
    expect(sizes.training_hq).toBe(25);
  });

  it('follow a change of cluster representative', async () => {
    lib.db.prepare(`UPDATE cluster SET representative_id = ? WHERE representative_id = ?`).run(ids[2]!, ids[1]!);
    expect((await lib.invoke('sync.status', {})).pending).toBe(3);
    await compare();
  });
});
