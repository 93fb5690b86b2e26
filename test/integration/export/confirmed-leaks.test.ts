// The export's leakage check counts pairs clustering would confirm, not pairs whose hashes merely collide: two
// different photographs with colliding hashes in different splits are no leak and stay put; a real copy is one.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoinWorkers } from '../../../src-main/core/duplicates/parallel-join';
import { recordDecision } from '../../../src-main/core/duplicates/duplicate-store';
import { leakConfirmer } from '../../../src-main/core/export/confirm-leaks';
import { findCrossSplitLeaks, loadRowHashes } from '../../../src-main/core/export/leakage-report';
import { repairLeaks } from '../../../src-main/core/export/repair-leaks';
import type { SelectedRow } from '../../../src-main/core/export/select-images';
import { parseFingerprint } from '../../../src-main/core/imaging/fingerprint';
import type { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { makeVariant } from '../../fixtures/variants';

let lib: Library;
const cleanups: (() => unknown)[] = [];
const workers = new JoinWorkers(2, 0);
/** Rows: 0 = a photo, 1 = its resized copy, 2 = another photo given the first one's hashes. */
let rows: SelectedRow[];

beforeAll(async () => {
  const opened = openTempLibrary();
  lib = opened.lib;
  const photos = makeTempDir('sporeprint-leaks-');
  cleanups.push(opened.cleanup, photos.cleanup);
  mkdirSync(path.join(photos.dir, 'in'));
  const a = await makePhoto(41, { width: 800, height: 600 });
  writeFileSync(path.join(photos.dir, 'in', 'a.jpg'), a);
  writeFileSync(path.join(photos.dir, 'in', 'a-copy.jpg'), await makeVariant(a, 'resize'));
  writeFileSync(path.join(photos.dir, 'in', 'b.jpg'), await makePhoto(42, { width: 800, height: 600 }));
  await ingestAndWait(lib, [path.join(photos.dir, 'in')]);
  const idOf = (file: string) =>
    lib.db
      .prepare(`SELECT image_id FROM location WHERE path = ?`)
      .pluck()
      .get(path.join(photos.dir, 'in', file)) as number;
  const ids = ['a.jpg', 'a-copy.jpg', 'b.jpg'].map(idOf);
  // A chance collision: b keeps its own pixels, rendition and DCT coefficients but takes a's 64-bit hashes.
  const blobOf = (id: number) => lib.db.prepare(`SELECT fingerprint FROM image WHERE id = ?`).pluck().get(id) as Buffer;
  const fa = blobOf(ids[0]!);
  const fb = Buffer.from(blobOf(ids[2]!));
  expect(fa[1]).toBe(fb[1]);
  const hashBytes = 18 + 64 + 8 * fa[1]!;
  fa.copy(fb, 18, 18, hashBytes);
  expect(parseFingerprint(fb)).not.toBeNull();
  lib.db
    .prepare(`UPDATE image SET fingerprint = ?, perceptual_hash = (SELECT perceptual_hash FROM image WHERE id = ?) WHERE id = ?`)
    .run(fb, ids[0], ids[2]);
  const hashOf = lib.db.prepare(`SELECT perceptual_hash FROM image WHERE id = ?`).pluck();
  rows = ids.map((imageId, i) => ({
    imageId,
    sha256: String(i),
    taxon: 'Taxon',
    label: 'Taxon',
    rank: 'species',
    labelState: 'human_verified',
    qualityScore: 50,
    width: 800,
    height: 600,
    format: 'jpeg',
    license: 'CC0-1.0',
    attribution: null,
    sourceUrl: null,
    observationGroup: null,
    clusterId: null,
    representativeId: null,
    perceptualHash: hashOf.get(imageId) as string,
  }));
}, 120_000);

afterAll(async () => {
  await workers.close();
  for (const c of cleanups.reverse()) await c();
});

describe('leakage on confirmed pairs', () => {
  it('counts the copy across splits as a leak and the colliding different photo as none', async () => {
    const hashes = loadRowHashes(lib.db, rows);
    const splitOf = Uint8Array.from([0, 1, 2]);
    const hashOnly = await findCrossSplitLeaks(hashes, splitOf, 10, workers, null);
    // Every pair is hash-near: b carries a's hashes exactly.
    expect(hashOnly.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['0-1', '0-2', '1-2']);
    const confirmed = await findCrossSplitLeaks(hashes, splitOf, 10, workers, leakConfirmer(lib.db, rows, 10));
    expect(confirmed.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(['0-1']);
    expect(confirmed.rejected).toBe(2);
  });

  it('moves only the copy when repairing the split; the colliding photo stays in its split', async () => {
    const hashes = loadRowHashes(lib.db, rows);
    const split = {
      splitOf: Uint8Array.from([0, 1, 2]),
      groupOf: Int32Array.from([0, 1, 2]),
      groups: 3,
      groupsPerClass: new Map(),
      trainOnlyClasses: [],
    };
    const repaired = await repairLeaks(hashes, split, 10, workers, leakConfirmer(lib.db, rows, 10));
    expect(repaired.splitOf[0]).toBe(repaired.splitOf[1]);
    expect(repaired.splitOf[2]).toBe(2);
    expect(repaired.rowsMoved).toBe(1);
    const hashOnly = await repairLeaks(hashes, split, 10, workers, null);
    expect(new Set(hashOnly.splitOf).size).toBe(1);
  });

  it('takes the curator\'s "not a duplicate" as the last word', async () => {
    recordDecision(lib.db, 'not_duplicate', rows[0]!.imageId, rows[1]!.imageId);
    const confirmed = await findCrossSplitLeaks(
      loadRowHashes(lib.db, rows),
      Uint8Array.from([0, 1, 2]),
      10,
      workers,
      leakConfirmer(lib.db, rows, 10),
    );
    expect(confirmed.pairs).toEqual([]);
    expect(confirmed.rejected).toBe(3);
  });
});
