// Training views: one image per cluster (representative + kept members), HQ cut-offs, licence allow-list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src-main/core/catalog/database';
import { writeLicenseAllowList } from '../../../../src-main/core/labels/license-allow-list';
import { openTempCatalog } from '../../../fixtures/temp-library';

let db: Db;
let cleanup: () => void;
let seq = 0;

interface ImageSpec {
  quality?: number;
  width?: number;
  height?: number;
  license?: string | null;
  state?: 'source_claimed' | 'model_suggested' | 'human_verified' | 'disputed' | null;
  taxon?: string;
}

function addImage(spec: ImageSpec = {}): number {
  seq++;
  const q = spec.quality ?? 80;
  const id = Number(
    db
      .prepare(
        `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution, quality_sharpness, quality_noise, quality_colour, is_hq, license, attribution)
         VALUES (?, ?, 'jpeg', ?, ?, 10, ?, 50, 50, 50, 50, ?, ?, 'someone')`,
      )
      .run(
        seq.toString(16).padStart(64, '0'),
        seq.toString(16).padStart(16, '0'),
        spec.width ?? 2000,
        spec.height ?? 1500,
        q,
        q >= 70 ? 1 : 0,
        spec.license === undefined ? 'CC-BY-4.0' : spec.license,
      ).lastInsertRowid,
  );
  db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, ?, 10, 0)`).run(id, `/photos/${seq}.jpg`);
  const state = spec.state === undefined ? 'source_claimed' : spec.state;
  if (state)
    db.prepare(`INSERT INTO label (image_id, taxon, rank, state) VALUES (?, ?, 'species', ?)`).run(
      id,
      spec.taxon ?? 'Amanita muscaria',
      state,
    );
  return id;
}

function addCluster(representative: number, members: number[]): number {
  const clusterId = Number(
    db.prepare(`INSERT INTO cluster (representative_id, threshold, weakest_link) VALUES (?, 10, 4)`).run(representative).lastInsertRowid,
  );
  for (const m of [representative, ...members])
    db.prepare(`INSERT INTO cluster_member (image_id, cluster_id, distance) VALUES (?, ?, ?)`).run(
      m,
      clusterId,
      m === representative ? 0 : 3,
    );
  return clusterId;
}

const ids = (view: string) =>
  (db.prepare(`SELECT image_id FROM ${view} ORDER BY image_id`).all() as { image_id: number }[]).map((r) => r.image_id);

beforeEach(() => {
  ({ db, cleanup } = openTempCatalog());
});
afterEach(() => cleanup());

describe('training views', () => {
  it('training_general keeps one image per cluster plus kept members, drops unlabelled and disputed', () => {
    const rep = addImage();
    const dup = addImage();
    const kept = addImage();
    const single = addImage({ state: 'model_suggested' });
    const unlabelled = addImage({ state: null });
    const disputed = addImage({ state: 'disputed' });
    const clusterId = addCluster(rep, [dup, kept]);
    db.prepare(`INSERT INTO duplicate_decision (action, image_a) VALUES ('keep', ?)`).run(kept);
    expect(ids('training_general')).toEqual([rep, kept, single]);
    expect(ids('training_general')).not.toContain(unlabelled);
    expect(ids('training_general')).not.toContain(disputed);
    const row = db.prepare(`SELECT * FROM training_general WHERE image_id = ?`).get(rep) as Record<string, unknown>;
    expect(row).toMatchObject({
      sha256: expect.any(String),
      taxon: 'Amanita muscaria',
      rank: 'species',
      label_state: 'source_claimed',
      cluster_id: clusterId,
      license: 'CC-BY-4.0',
      attribution: 'someone',
    });
    for (const column of ['quality_score', 'width', 'height', 'source_url', 'observation_group', 'primary_path'])
      expect(row).toHaveProperty(column);
  });

  it('training_hq applies quality, long edge and the licence allow-list by family', () => {
    const good = addImage({ license: 'CC-BY-SA-3.0' });
    const cc0 = addImage({ license: 'CC0-1.0' });
    const pd = addImage({ license: 'PD' });
    addImage({ license: 'CC-BY-NC-4.0' });
    addImage({ license: 'CC-BY-ND-4.0' });
    addImage({ license: null });
    addImage({ license: 'UNKNOWN' });
    addImage({ quality: 69 });
    const portrait = addImage({ width: 1000, height: 1600 });
    addImage({ width: 1599, height: 1200 });
    expect(ids('training_hq')).toEqual([good, cc0, pd, portrait]);
    writeLicenseAllowList(db, ['CC0']);
    expect(ids('training_hq')).toEqual([cc0]);
    writeLicenseAllowList(db, ['CC-BY-NC-4.0', 'PD']);
    expect(ids('training_hq')).toHaveLength(2);
  });

  it('training_verified holds only human_verified images, one per cluster', () => {
    const rep = addImage({ state: 'human_verified' });
    const dup = addImage({ state: 'human_verified' });
    addImage({ state: 'source_claimed' });
    const other = addImage({ state: 'human_verified' });
    addCluster(rep, [dup]);
    expect(ids('training_verified')).toEqual([rep, other]);
  });

  it('potential_duplicates lists members beside their representative with both distances', () => {
    const rep = addImage();
    const dup = addImage();
    addCluster(rep, [dup]);
    const rows = db.prepare(`SELECT * FROM potential_duplicates`).all() as Record<string, number>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ representative_id: rep, image_id: dup, distance: 3, weakest_link: 4, kept: 0 });
    expect(typeof rows[0]!.phash_distance).toBe('number');
  });

  it('quality_distribution buckets images by score', () => {
    addImage({ quality: 5 });
    addImage({ quality: 55, state: 'human_verified' });
    addImage({ quality: 59 });
    addImage({ quality: 100, state: null });
    const rows = db.prepare(`SELECT * FROM quality_distribution ORDER BY bucket_start`).all();
    expect(rows).toEqual([
      { bucket_start: 0, bucket_end: 10, images: 1, hq_images: 0, labelled: 1, verified: 0 },
      { bucket_start: 50, bucket_end: 60, images: 2, hq_images: 0, labelled: 2, verified: 1 },
      { bucket_start: 90, bucket_end: 100, images: 1, hq_images: 1, labelled: 0, verified: 0 },
    ]);
  });
});
