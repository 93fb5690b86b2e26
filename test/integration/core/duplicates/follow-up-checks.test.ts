// The checks every ingest makes after its commit (fingerprints to upgrade, match thumbnails to backfill) read indexes,
// not every image row, and still find what is outdated or missing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../../../src-main/core/library';
import { FINGERPRINT_VERSION } from '../../../../src-main/core/imaging/fingerprint';
import { MATCH_THUMBNAIL_VERSION } from '../../../../src-main/core/imaging/match-thumbnail';
import { OUTDATED_FINGERPRINTS_SQL, upgradeFingerprints } from '../../../../src-main/core/duplicates/upgrade-fingerprints';
import { backfillMatchThumbnails, THUMBNAIL_COUNTS_SQL } from '../../../../src-main/core/duplicates/verify/thumbnail-store';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function libraryOfThree(): Promise<Library> {
  const photos = makeTempDir('sporeprint-followup-checks-');
  const libDir = makeTempDir('sporeprint-followup-checks-lib-');
  cleanups.push(photos.cleanup, libDir.cleanup);
  for (const seed of [31, 32, 33]) writeFileSync(path.join(photos.dir, `${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
  const lib = Library.open(libDir.dir, { env: {} });
  cleanups.push(() => lib.close());
  await ingestAndWait(lib, [photos.dir]);
  return lib;
}

const planOf = (lib: Library, sql: string, param: number) =>
  (lib.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(param) as { detail: string }[]).map((r) => r.detail);

describe('the checks after each ingest', () => {
  it('read indexes only: no scan of the image table', async () => {
    const lib = await libraryOfThree();
    const upgradePlan = planOf(lib, OUTDATED_FINGERPRINTS_SQL, FINGERPRINT_VERSION);
    expect(upgradePlan.join('\n')).toMatch(/image_fingerprint_version/);
    expect(upgradePlan.join('\n')).toMatch(/image_fingerprint_missing/);
    const countsPlan = planOf(lib, THUMBNAIL_COUNTS_SQL, MATCH_THUMBNAIL_VERSION);
    expect(countsPlan.join('\n')).toMatch(/match_thumbnail_version/);
    for (const step of [...upgradePlan, ...countsPlan]) expect(step).not.toMatch(/^SCAN (image|match_thumbnail)\b(?! USING)/);
  }, 120_000);

  it('still upgrade a missing or older fingerprint and backfill a missing thumbnail, then find nothing left', async () => {
    const lib = await libraryOfThree();
    const ids = (lib.db.prepare(`SELECT id FROM image ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
    expect(ids).toHaveLength(3);
    lib.db.prepare(`UPDATE image SET fingerprint = NULL WHERE id = ?`).run(ids[0]);
    lib.db.prepare(`UPDATE image SET fingerprint_version = 1 WHERE id = ?`).run(ids[1]);
    lib.db.prepare(`DELETE FROM match_thumbnail WHERE image_id = ?`).run(ids[2]);
    expect(await upgradeFingerprints(lib)).toBe(2);
    expect(await upgradeFingerprints(lib)).toBe(0);
    expect(await backfillMatchThumbnails(lib)).toBe(1);
    expect(await backfillMatchThumbnails(lib)).toBe(0);
    const current = lib.db.prepare(`SELECT count(*) AS n FROM match_thumbnail WHERE version = ?`).get(MATCH_THUMBNAIL_VERSION) as {
      n: number;
    };
    expect(current.n).toBe(3);
  }, 120_000);
});
