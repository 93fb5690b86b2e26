// Near-duplicate clustering through the API: every transformation class, exact pixels, decisions that persist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Library } from '../../../../src-main/core/library';
import { recordSourceClaim } from '../../../../src-main/core/labels/record-source-claim';
import { makePhoto, renderPhotoRaw } from '../../../fixtures/synthetic-photos';
import { makeVariant, VARIANTS } from '../../../fixtures/variants';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let closeLib: () => Promise<void>;
let photosDir: string;
let cleanupPhotos: () => void;
const idOf = new Map<string, number>();

async function idFor(file: string): Promise<number> {
  return (await lib.invoke('images.resolve', { ref: path.join(photosDir, file) })).id;
}

/** Puts a threshold in force the only way that saves one: the re-clustering job. */
async function applyThreshold(threshold: number) {
  const { jobId } = await lib.invoke('duplicates.applyThreshold', { threshold });
  expect((await lib.waitForJob(jobId)).status).toBe('completed');
}

async function clusterOf(imageId: number) {
  const { clusters } = await lib.invoke('duplicates.clusters', { limit: 10_000, includeResolved: true });
  return clusters.find((c) => c.members.some((m) => m.imageId === imageId)) ?? null;
}

beforeAll(async () => {
  ({ dir: photosDir, cleanup: cleanupPhotos } = makeTempDir('sporeprint-dups-'));
  const original = await makePhoto(101, { width: 900, height: 600, format: 'jpeg' });
  writeFileSync(path.join(photosDir, 'original.jpg'), original);
  for (const variant of VARIANTS) writeFileSync(path.join(photosDir, `v-${variant}.jpg`), await makeVariant(original, variant));
  // Unrelated photographs drawn by the same synthesiser: same style, different scenes.
  for (const seed of [202, 303, 404])
    writeFileSync(path.join(photosDir, `other-${seed}.jpg`), await makePhoto(seed, { width: 900, height: 600, format: 'jpeg' }));
  // The same pixels in two lossless encodings.
  const raw = await renderPhotoRaw(505, 400, 300);
  const rawInput = { raw: { width: raw.width, height: raw.height, channels: raw.channels } };
  writeFileSync(path.join(photosDir, 'same-pixels.png'), await sharp(raw.data, rawInput).png().toBuffer());
  writeFileSync(path.join(photosDir, 'same-pixels.webp'), await sharp(raw.data, rawInput).webp({ lossless: true }).toBuffer());
  ({ lib, cleanup: closeLib } = openTempLibrary());
  await ingestAndWait(lib, [photosDir]);
  for (const name of [
    'original.jpg',
    ...VARIANTS.map((v) => `v-${v}.jpg`),
    'other-202.jpg',
    'other-303.jpg',
    'other-404.jpg',
    'same-pixels.png',
    'same-pixels.webp',
  ])
    idOf.set(name, await idFor(name));
}, 300_000);

afterAll(async () => {
  await closeLib?.();
  cleanupPhotos?.();
});

describe('near-duplicate clusters after ingest', () => {
  const inOriginalsCluster = async (variant: string) => {
    const cluster = await clusterOf(idOf.get('original.jpg')!);
    expect(cluster).not.toBeNull();
    const member = cluster!.members.find((m) => m.imageId === idOf.get(`v-${variant}.jpg`));
    expect(member, `${variant} copy should be clustered with the original`).toBeDefined();
    expect(member!.distance).toBeLessThanOrEqual(10);
  };
  it.each(VARIANTS)('puts the %s copy in the original’s cluster', inOriginalsCluster);

  it('never merges different photographs', async () => {
    for (const seed of [202, 303, 404]) expect(await clusterOf(idOf.get(`other-${seed}.jpg`)!)).toBeNull();
  });

  it('treats the same pixels in another encoding as distance 0', async () => {
    const cluster = await clusterOf(idOf.get('same-pixels.png')!);
    expect(cluster!.members.map((m) => m.imageId).sort()).toEqual([idOf.get('same-pixels.png'), idOf.get('same-pixels.webp')].sort());
    expect(cluster!.members.every((m) => m.distance === 0)).toBe(true);
  });

  it('picks the highest-quality member as representative and shows distances and the weakest link', async () => {
    const cluster = (await clusterOf(idOf.get('original.jpg')!))!;
    const best = Math.max(...cluster.members.map((m) => m.quality));
    const rep = cluster.members.find((m) => m.imageId === cluster.representative)!;
    expect(rep.quality).toBe(best);
    expect(rep.distance).toBe(0);
    // The copies are not all pixel-identical, so some join costs more than 0; none may exceed the threshold.
    expect(cluster.weakestLink).toBeGreaterThan(0);
    expect(cluster.weakestLink).toBeLessThanOrEqual(10);
    const listed = await lib.invoke('images.list', { ids: [rep.imageId] });
    expect(listed.items[0]!.clusterId).toBe(cluster.id);
  });
});

describe('reading clusters is pure', () => {
  it('previews another threshold in memory and saves nothing; the job puts it in force', async () => {
    const storedBefore = lib.db.prepare(`SELECT id, representative_id FROM cluster ORDER BY id`).all();
    const settingsBefore = lib.db.prepare(`SELECT key, value FROM setting ORDER BY key`).all();
    const inForce = await lib.invoke('duplicates.clusters', { limit: 10_000 });
    expect(inForce.preview).toBe(false);
    const strict = await lib.invoke('duplicates.clusters', { threshold: 0, limit: 10_000 });
    expect(strict.preview).toBe(true);
    expect(strict.threshold).toBe(0);
    expect(strict.clusters.every((c) => c.id < 0)).toBe(true);
    // At 0 only the exact copies stay together: fewer clustered images than at the threshold in force.
    const clustered = (p: typeof strict) => p.clusters.reduce((n, c) => n + c.members.length, 0);
    expect(clustered(strict)).toBeLessThan(clustered(inForce));
    expect(lib.db.prepare(`SELECT id, representative_id FROM cluster ORDER BY id`).all()).toEqual(storedBefore);
    expect(lib.db.prepare(`SELECT key, value FROM setting ORDER BY key`).all()).toEqual(settingsBefore);
    expect((await lib.invoke('duplicates.clusters', {})).threshold).toBe(inForce.threshold);
    // The same preview asked again (paging, slider back and forth) is the cached one.
    expect(await lib.invoke('duplicates.clusters', { threshold: 0, limit: 10_000 })).toEqual(strict);
  });

  it('returns the cluster containing an image, with what a curator checks on each card', async () => {
    const original = idOf.get('original.jpg')!;
    const page = await lib.invoke('duplicates.clusters', { containing: original });
    expect(page.clusters).toHaveLength(1);
    const member = page.clusters[0]!.members.find((m) => m.imageId === original)!;
    expect(member.fileSize).toBeGreaterThan(0);
    expect(member.largePath).toMatch(/large\.jpg$/);
    expect(member).toHaveProperty('license');
    expect(member).toHaveProperty('taxon');
    expect((await lib.invoke('duplicates.clusters', { containing: idOf.get('other-303.jpg')! })).clusters).toEqual([]);
  });
});

describe('curator decisions persist', () => {
  it('not_duplicate separates that pair only, and the separation survives threshold changes and re-ingest', async () => {
    const original = idOf.get('original.jpg')!;
    const flipped = idOf.get('v-flip.jpg')!;
    const before = (await clusterOf(original))!;
    await lib.invoke('duplicates.decide', { action: 'not_duplicate', imageA: original, imageB: flipped });
    // The flipped copy still matches other copies, so it stays; the original keeps every other pairing.
    const after = (await clusterOf(original))!;
    expect(after.members.map((m) => m.imageId).sort()).toEqual(before.members.map((m) => m.imageId).sort());
    // Said of every pair it forms, the flipped copy leaves; nobody else does.
    for (const m of before.members)
      if (m.imageId !== flipped && m.imageId !== original)
        await lib.invoke('duplicates.decide', { action: 'not_duplicate', imageA: m.imageId, imageB: flipped });
    const together = async () => (await clusterOf(original))?.members.some((m) => m.imageId === flipped) ?? false;
    expect(await together()).toBe(false);
    expect((await clusterOf(original))!.members).toHaveLength(before.members.length - 1);
    await applyThreshold(12);
    expect(await together()).toBe(false);
    await applyThreshold(10);
    await ingestAndWait(lib, [photosDir]);
    expect(await together()).toBe(false);
  }, 300_000);

  it('set_representative and keep survive re-clustering', async () => {
    const cropped = idOf.get('v-crop-10.jpg')!;
    await lib.invoke('duplicates.decide', { action: 'set_representative', imageId: cropped });
    await lib.invoke('duplicates.decide', { action: 'keep', imageId: idOf.get('v-greyscale.jpg')! });
    expect((await clusterOf(cropped))!.representative).toBe(cropped);
    await applyThreshold(8);
    await applyThreshold(10);
    const cluster = (await clusterOf(cropped))!;
    expect(cluster.representative).toBe(cropped);
    expect(cluster.members.find((m) => m.imageId === idOf.get('v-greyscale.jpg'))!.decision).toBe('keep');
  }, 300_000);

  it('merge joins two unrelated clusters, resolve marks the result reviewed', async () => {
    const other = idOf.get('other-202.jpg')!;
    const pixels = idOf.get('same-pixels.png')!;
    await lib.invoke('duplicates.decide', { action: 'merge', imageA: other, imageB: pixels });
    const merged = (await clusterOf(other))!;
    expect(merged.members.map((m) => m.imageId)).toEqual(expect.arrayContaining([other, pixels, idOf.get('same-pixels.webp')]));
    await lib.invoke('duplicates.decide', { action: 'resolve', imageId: other });
    expect((await clusterOf(other))!.resolved).toBe(true);
    const unresolvedOnly = await lib.invoke('duplicates.clusters', {});
    expect(unresolvedOnly.clusters.some((c) => c.members.some((m) => m.imageId === other))).toBe(false);
  });

  it('feeds the training views: one image per cluster plus the members marked keep', async () => {
    const cluster = (await clusterOf(idOf.get('original.jpg')!))!;
    for (const m of cluster.members)
      recordSourceClaim(lib.db, m.imageId, { taxon: 'Amanita muscaria', rank: 'species', evidence: { source: 'test' } });
    const inView = (
      lib.db.prepare(`SELECT image_id FROM training_general WHERE cluster_id = ?`).pluck().all(cluster.id) as number[]
    ).sort();
    expect(inView).toEqual([cluster.representative, idOf.get('v-greyscale.jpg')!].sort());
    const pending = lib.db.prepare(`SELECT count(*) FROM potential_duplicates WHERE cluster_id = ?`).pluck().get(cluster.id);
    expect(pending).toBe(cluster.members.length - 1);
  });

  it('rejects decisions about images that do not exist or are not clustered', async () => {
    await expect(lib.invoke('duplicates.decide', { action: 'keep', imageId: 999_999 })).rejects.toThrow(/999999/);
    await expect(lib.invoke('duplicates.decide', { action: 'keep', imageId: idOf.get('other-303.jpg')! })).rejects.toThrow(
      /not in a duplicate cluster/,
    );
  });
});
