// The export's leakage check counts pairs clustering would confirm, not pairs whose hashes merely collide: two
// different photographs with colliding hashes in different splits are no leak and stay put; a real copy is one,
// also when only a wide gate (upright pictures past the threshold, an off-centre window) brings it to the check.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_WIDE_GATES } from '../../../src-main/core/duplicates/content-only-gate';
import { JoinWorkers } from '../../../src-main/core/duplicates/parallel-join';
import { recordDecision } from '../../../src-main/core/duplicates/duplicate-store';
import { leakConfirmer } from '../../../src-main/core/export/confirm-leaks';
import { findCrossSplitLeaks, loadRowHashes, type RowHashes } from '../../../src-main/core/export/leakage-report';
import { hamming64 } from '../../../src-main/core/duplicates/popcount';
import { UPRIGHT_KEY_THRESHOLD } from '../../../src-shared/defaults';
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
/**
 * Rows: 0 = a photo, 1 = its resized copy whose only near hash is its upright picture 13 bits from the photo's;
 * 2 = another photo, 3 = its resized copy whose only near hash is its upright picture within 3 bits of one of the
 * photo's off-centre windows. Their renditions are the real ones, so the content check sees two copies.
 */
let gateRows: SelectedRow[];

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
  for (const [name, seed] of [
    ['c', 43],
    ['e', 44],
  ] as const) {
    const photo = await makePhoto(seed, { width: 800, height: 600 });
    writeFileSync(path.join(photos.dir, 'in', `${name}.jpg`), photo);
    writeFileSync(path.join(photos.dir, 'in', `${name}-copy.jpg`), await makeVariant(photo, 'resize'));
  }
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
  const gateIds = ['c.jpg', 'c-copy.jpg', 'e.jpg', 'e-copy.jpg'].map(idOf);
  const [c, cCopy, e, eCopy] = gateIds.map((id) => Buffer.from(blobOf(id)));
  const cUpright = readHash(c!, 18);
  scrambleAllBut(c!, 18, 'high');
  scrambleAllBut(cCopy!, -1, 'low');
  writeHash(cCopy!, 18, [cUpright[0], (cUpright[1] ^ 0x1fff) >>> 0]); // 13 bits: past T = 10, within 10 + 6
  const eUpright = readHash(e!, 18);
  scrambleAllBut(e!, -1, 'high');
  scrambleAllBut(eCopy!, -1, 'low');
  writeHash(eCopy!, 18, [eUpright[0], (eUpright[1] ^ 0xfffff) >>> 0]); // 20 bits from e's upright picture
  writeHash(e!, offCentreAt(e!) + 5 * 8, [eUpright[0], (eUpright[1] ^ 0xffff8) >>> 0]); // 3 bits from e-copy's
  for (const [i, fp] of [c, cCopy, e, eCopy].entries()) {
    expect(parseFingerprint(fp!)).not.toBeNull();
    lib.db.prepare(`UPDATE image SET fingerprint = ? WHERE id = ?`).run(fp, gateIds[i]);
  }
  const rowOf = (imageId: number, i: number): SelectedRow => ({
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
  });
  rows = ids.map(rowOf);
  gateRows = gateIds.map(rowOf);
}, 120_000);

/** Where a v5 fingerprint blob's off-centre windows start (header, 8 flips, regions, edges, coefficients). */
function offCentreAt(blob: Buffer): number {
  const regions = blob[1]!;
  return 82 + 8 * regions + 8 * (8 + regions) + (1 + regions) * 64;
}

function readHash(blob: Buffer, at: number): [number, number] {
  return [blob.readUInt32BE(at), blob.readUInt32BE(at + 4)];
}

function writeHash(blob: Buffer, at: number, [hi, lo]: [number, number]): void {
  blob.writeUInt32BE(hi, at);
  blob.writeUInt32BE(lo, at + 4);
}

/**
 * Moves every 64-bit hash of the blob (flips, regions, off-centre windows) but the one at `keep` 24 bits away: in
 * its high word for a photo, its low word for a copy, so the photo's and the copy's hashes do not move together.
 */
function scrambleAllBut(blob: Buffer, keep: number, word: 'high' | 'low'): void {
  const regions = blob[1]!;
  const offsets = [
    ...Array.from({ length: 8 + regions }, (_, k) => 18 + 8 * k),
    ...Array.from({ length: 36 }, (_, k) => offCentreAt(blob) + 8 * k),
  ];
  const w = word === 'high' ? 0 : 4;
  for (const at of offsets) if (at !== keep) blob.writeUInt32BE((blob.readUInt32BE(at + w) ^ 0xffffff00) >>> 0, at + w);
}

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

describe('leakage through the wide gates', () => {
  it('counts a copy only an upright margin or an off-centre window brings near, as clustering would join it', async () => {
    const hashes = loadRowHashes(lib.db, gateRows);
    const splitOf = Uint8Array.from([0, 1, 1, 2]);
    const confirm = leakConfirmer(lib.db, gateRows, 10);
    // Within the threshold alone nothing is near: only the wide gates find these two copies.
    expect((await findCrossSplitLeaks(hashes, splitOf, 10, workers, confirm, NO_WIDE_GATES)).pairs).toEqual([]);
    const leaks = await findCrossSplitLeaks(hashes, splitOf, 10, workers, confirm);
    expect(leaks.pairs.map((p) => `${p.a}-${p.b}:${p.distance}`)).toEqual(['0-1:13', '2-3:3']);
    // Hash-only (no confirmer), the wide gates stay shut: their pairs are for the content check to decide.
    expect((await findCrossSplitLeaks(hashes, splitOf, 10, workers, null)).pairs).toEqual([]);
  });

  it("proposes the upright join's pairs only within the upright key (pHash + edge hash), as DuplicateIndex does", async () => {
    const hashes = loadRowHashes(lib.db, gateRows);
    const splitOf = Uint8Array.from([0, 1, 1, 2]);
    const proposeAll = () => true;
    // c and its copy: 13 pHash bits, edges of the same picture, so within the key.
    const edges = hashes.uprightEdges!;
    expect(13 + hamming64(edges.hi[0]!, edges.lo[0]!, edges.hi[1]!, edges.lo[1]!)).toBeLessThanOrEqual(UPRIGHT_KEY_THRESHOLD);
    const proposed = async (h: RowHashes) =>
      (await findCrossSplitLeaks(h, splitOf, 10, workers, proposeAll)).pairs.map((p) => `${p.a}-${p.b}`);
    expect(await proposed(hashes)).toContain('0-1');
    // The copy's upright edge hash inverted: 64 bits from c's, so past the key; the off-centre pair stays.
    const moved = { hi: Uint32Array.from(edges.hi), lo: Uint32Array.from(edges.lo) };
    moved.hi[1] = ~edges.hi[0]! >>> 0;
    moved.lo[1] = ~edges.lo[0]! >>> 0;
    const withoutKey = await proposed({ ...hashes, uprightEdges: moved });
    expect(withoutKey).not.toContain('0-1');
    expect(withoutKey).toContain('2-3');
  });

  it("moves the copies into their originals' splits when repairing", async () => {
    const split = {
      splitOf: Uint8Array.from([0, 1, 1, 2]),
      groupOf: Int32Array.from([0, 1, 2, 3]),
      groups: 4,
      groupsPerClass: new Map(),
      trainOnlyClasses: [],
    };
    const repaired = await repairLeaks(loadRowHashes(lib.db, gateRows), split, 10, workers, leakConfirmer(lib.db, gateRows, 10));
    expect(repaired.splitOf[0]).toBe(repaired.splitOf[1]);
    expect(repaired.splitOf[2]).toBe(repaired.splitOf[3]);
    expect(repaired.rowsMoved).toBe(2);
  });
});
