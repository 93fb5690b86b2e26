// Search through the library API: descriptor search with no model, a real tiny CLIP model imported,
// text search, filters, a model switch that never mixes spaces, ingest-time embedding and suggestions.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClipProvider } from '../../../src-main/core/embed/local-clip-provider';
import { DESCRIPTOR_MODEL_ID } from '../../../src-main/core/embed/descriptor-provider';
import { dot } from '../../../src-main/core/embed/provider';
import { getVector } from '../../../src-main/core/vector/vector-store';
import type { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { writeTinyClipModel } from '../../fixtures/tiny-clip-model';
import { makeVariant } from '../../fixtures/variants';

let lib: Library;
let libDir: string;
let closeLib: () => Promise<void>;
let work: { dir: string; cleanup: () => void };
const photos = new Map<number, string>();

async function writePhotos(folder: string, seeds: number[]): Promise<void> {
  mkdirSync(folder, { recursive: true });
  for (const seed of seeds) {
    const file = path.join(folder, `photo-${seed}.jpg`);
    writeFileSync(file, await makePhoto(seed, { width: 640, height: 480 }));
    photos.set(seed, file);
  }
}

const idOf = (seed: number) => lib.db.prepare('SELECT image_id FROM location WHERE path = ?').pluck().get(photos.get(seed)) as number;
const vectorCount = (modelId: string) =>
  lib.db.prepare('SELECT count(*) FROM image_vector WHERE model_id = ?').pluck().get(modelId) as number;

beforeAll(async () => {
  work = makeTempDir('sporeprint-search-');
  await writePhotos(path.join(work.dir, 'photos', 'Amanita muscaria'), [1, 2, 3, 4]);
  await writePhotos(path.join(work.dir, 'photos', 'Trametes versicolor'), [5, 6, 7, 8]);
  await writePhotos(path.join(work.dir, 'photos', 'unsorted'), [9, 10]);
  writeTinyClipModel(path.join(work.dir, 'tiny-a'), { seed: 1, dim: 32 });
  writeTinyClipModel(path.join(work.dir, 'tiny-b'), { seed: 2, dim: 16 });
  ({ lib, dir: libDir, cleanup: closeLib } = openTempLibrary());
  const job = await ingestAndWait(lib, [path.join(work.dir, 'photos')], { workers: 1 });
  expect(job.status).toBe('completed');
});

afterAll(async () => {
  await closeLib();
  work.cleanup();
});

describe('with no model installed', () => {
  it('has descriptor vectors for every ingested image and lists the presets as not installed', async () => {
    expect(vectorCount(DESCRIPTOR_MODEL_ID)).toBe(10);
    const models = await lib.invoke('models.list', {});
    expect(models.find((m) => m.id === DESCRIPTOR_MODEL_ID)).toMatchObject({ installed: true, active: true, vectorCount: 10 });
    expect(models.find((m) => m.id === 'Xenova/clip-vit-base-patch32')).toMatchObject({ installed: false, vectorSize: 512 });
    expect(models.find((m) => m.id === 'Xenova/clip-vit-base-patch16')).toMatchObject({ installed: false });
  });

  it('finds an image first by its own vector, and a re-encoded crop of a photo by its file', async () => {
    for (const seed of [1, 6, 10]) {
      const hits = await lib.invoke('search.image', { imageId: idOf(seed), limit: 5 });
      expect(hits[0]).toMatchObject({ imageId: idOf(seed), paths: [photos.get(seed)] });
      expect(hits[0]!.score).toBeCloseTo(1, 4);
      expect(hits[0]!.thumbPath).toMatch(/^derivatives\/.+\/thumb\.jpg$/);
      expect(existsSync(path.join(libDir, hits[0]!.thumbPath))).toBe(true);
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    }
    const query = path.join(work.dir, 'query.png');
    writeFileSync(query, await makeVariant(await makePhoto(3, { width: 640, height: 480 }), 'crop-10'));
    const hits = await lib.invoke('search.image', { path: query, limit: 3 });
    expect(hits[0]!.imageId).toBe(idOf(3));
    const b64 = await lib.invoke('search.image', {
      bytesBase64: (await makePhoto(7, { width: 300, height: 225 })).toString('base64'),
      limit: 1,
    });
    expect(b64[0]!.imageId).toBe(idOf(7));
  });

  it('applies filters without losing recall (a post-filter of the top k would return fewer)', async () => {
    // The query is an Amanita; the 3 nearest Trametes are not in the unfiltered top 3.
    const plain = await lib.invoke('search.image', { imageId: idOf(1), limit: 3 });
    const filtered = await lib.invoke('search.image', { imageId: idOf(1), limit: 3, taxon: 'Trametes versicolor' });
    expect(filtered).toHaveLength(3);
    expect(filtered.every((h) => h.taxon === 'Trametes versicolor')).toBe(true);
    expect(plain.filter((h) => h.taxon === 'Trametes versicolor').length).toBeLessThan(3);
    const genus = await lib.invoke('search.image', { imageId: idOf(1), limit: 10, taxon: 'trametes' });
    expect(genus).toHaveLength(4);
    // The filter is literal text, not a LIKE pattern: "_" does not stand for the space.
    expect(await lib.invoke('search.image', { imageId: idOf(1), limit: 10, taxon: 'Trametes_versicolor' })).toHaveLength(0);
    const claimed = await lib.invoke('search.image', { imageId: idOf(9), limit: 20, labelState: 'source_claimed' });
    expect(claimed).toHaveLength(8);
    const qualities = (await lib.invoke('search.image', { imageId: idOf(1), limit: 20 })).map((h) => h.qualityScore).sort((a, b) => a - b);
    const cut = qualities[5]!;
    const good = await lib.invoke('search.image', { imageId: idOf(1), limit: 20, minQuality: cut });
    expect(good.length).toBe(qualities.filter((q) => q >= cut).length);
    expect(good.every((h) => h.qualityScore >= cut)).toBe(true);
  });

  it('filters on HQ, alone and with the other filters', async () => {
    // The 640 px fixtures are below the HQ cut-off: two are flagged by hand, then the flag is put back.
    const hqIds = [idOf(5), idOf(2)];
    const flag = lib.db.prepare('UPDATE image SET is_hq = ? WHERE id = ?');
    for (const id of hqIds) flag.run(1, id);
    try {
      const only = await lib.invoke('search.image', { imageId: idOf(1), limit: 20, hq: true });
      expect(only.map((h) => h.imageId).sort()).toEqual([...hqIds].sort());
      const others = await lib.invoke('search.image', { imageId: idOf(1), limit: 20, hq: false });
      expect(others).toHaveLength(10 - hqIds.length);
      expect(others.some((h) => hqIds.includes(h.imageId))).toBe(false);
      const hqTrametes = await lib.invoke('search.image', { imageId: idOf(1), limit: 20, hq: true, taxon: 'Trametes versicolor' });
      expect(hqTrametes.map((h) => h.imageId)).toEqual([idOf(5)]);
      const quality = (await lib.invoke('search.image', { imageId: idOf(2), limit: 1 }))[0]!.qualityScore;
      const hqGood = await lib.invoke('search.image', { imageId: idOf(1), limit: 20, hq: true, minQuality: quality + 0.001 });
      expect(hqGood.map((h) => h.imageId)).not.toContain(idOf(2));
    } finally {
      for (const id of hqIds) flag.run(0, id);
    }
  });

  it('says that text search and suggestions need a model, and names the command that fixes it', async () => {
    await expect(lib.invoke('search.text', { text: 'orange bracket on birch' })).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining('sporeprint model install Xenova/clip-vit-base-patch32'),
    });
    await expect(lib.invoke('labels.suggest', {})).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining('sporeprint model import'),
    });
    await expect(lib.invoke('search.image', { imageId: idOf(1), modelId: 'Xenova/clip-vit-base-patch16' })).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      message: expect.stringContaining('sporeprint model install Xenova/clip-vit-base-patch16'),
    });
    await expect(lib.invoke('models.use', { id: 'Xenova/clip-vit-base-patch32' })).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });
});

describe('with the tiny CLIP model imported', () => {
  it('imports a folder, refusing one that is not a model', async () => {
    await expect(lib.invoke('models.import', { folder: path.join(work.dir, 'photos') })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/no config.json/),
    });
    const info = await lib.invoke('models.import', { folder: path.join(work.dir, 'tiny-a'), id: 'test/tiny-a' });
    expect(info).toMatchObject({ id: 'test/tiny-a', kind: 'clip', vectorSize: 32, installed: true, path: 'models/test/tiny-a' });
    expect(existsSync(path.join(libDir, 'models/test/tiny-a/onnx/vision_model.onnx'))).toBe(true);
    expect((await lib.invoke('models.use', { id: 'test/tiny-a' })).active).toBe(true);
  });

  it('backfills vectors with a resumable job, then searches by text', async () => {
    const { jobId } = await lib.invoke('embed.start', {});
    const job = await lib.waitForJob(jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({
      clipModel: 'test/tiny-a',
      models: { 'test/tiny-a': { embedded: 10, failed: 0 }, [DESCRIPTOR_MODEL_ID]: { embedded: 0 } },
    });
    expect(vectorCount('test/tiny-a')).toBe(10);
    const again = await lib.waitForJob((await lib.invoke('embed.start', {})).jobId);
    expect(again.result).toMatchObject({ models: { 'test/tiny-a': { embedded: 0 } } });

    const hits = await lib.invoke('search.text', { text: 'orange gilled bracket on birch', limit: 4 });
    expect(hits).toHaveLength(4);
    expect(new Set(hits.map((h) => h.imageId)).size).toBe(4);
    const text = await lib.invoke('search.text', { text: 'amanita', limit: 10, taxon: 'Amanita muscaria' });
    expect(text.map((h) => h.taxon)).toEqual(Array(4).fill('Amanita muscaria'));
    const own = await lib.invoke('search.image', { imageId: idOf(5), modelId: 'test/tiny-a', limit: 2 });
    expect(own[0]!.imageId).toBe(idOf(5));
    expect(own[0]!.score).toBeCloseTo(1, 4);
  });

  it('is deterministic, normalised, and batch equals single for images and texts', async () => {
    const provider = await LocalClipProvider.open({
      modelId: 'check',
      modelDir: path.join(libDir, 'models/test/tiny-a'),
      dtype: 'fp32',
      targetSize: 224,
      batchSize: 2,
    });
    try {
      expect(provider.vectorSize).toBe(32);
      const bytes = await Promise.all([1, 5, 9].map((s) => makePhoto(s, { width: 320, height: 240 })));
      const batch = await provider.embedImageBatch(bytes); // two worker batches of size 2 and 1
      for (const [i, b] of bytes.entries()) {
        const single = await provider.embedImage(b);
        expect(dot(single, single)).toBeCloseTo(1, 5);
        for (let k = 0; k < 32; k++) expect(batch[i]![k]).toBeCloseTo(single[k]!, 5);
      }
      expect(await provider.embedImage(bytes[0]!)).toEqual(await provider.embedImage(bytes[0]!));
      const texts = ['amanita', 'orange gilled bracket on birch', 'a photo of trametes versicolor'];
      const tb = await provider.embedTextBatch(texts); // padded to different lengths inside a batch
      for (const [i, t] of texts.entries()) {
        const single = await provider.embedText(t);
        for (let k = 0; k < 32; k++) expect(tb[i]![k]).toBeCloseTo(single[k]!, 5);
      }
      expect(dot(tb[0]!, tb[1]!)).toBeLessThan(0.999);
    } finally {
      await provider.close();
    }
  });

  it('switches model without mixing spaces: the new index is backfilled, the old one kept until removed', async () => {
    await lib.invoke('models.import', { folder: path.join(work.dir, 'tiny-b'), id: 'test/tiny-b' });
    await lib.invoke('models.use', { id: 'test/tiny-b' });
    await lib.waitForJob((await lib.invoke('embed.start', {})).jobId);
    expect(vectorCount('test/tiny-b')).toBe(10);
    expect(vectorCount('test/tiny-a')).toBe(10);
    expect(getVector(lib.db, 'test/tiny-b', idOf(1))!.length).toBe(16);
    expect(getVector(lib.db, 'test/tiny-a', idOf(1))!.length).toBe(32);
    const indexFiles = readdirSync(path.join(libDir, 'index')).filter((f) => f.endsWith('.hnsw'));
    expect(indexFiles.some((f) => f.startsWith('test_tiny-a'))).toBe(true);
    expect(indexFiles.some((f) => f.startsWith('test_tiny-b'))).toBe(true);
    expect((await lib.invoke('search.text', { text: 'amanita', limit: 3 })).length).toBe(3);
    const models = await lib.invoke('models.list', {});
    expect(models.find((m) => m.id === 'test/tiny-b')).toMatchObject({ active: true, vectorSize: 16, vectorCount: 10 });
    expect(models.find((m) => m.id === 'test/tiny-a')).toMatchObject({ active: false, installed: true, vectorCount: 10 });
    // The old model still answers queries in its own space until it is removed.
    await expect(
      lib.invoke('search.image', { bytesBase64: (await makePhoto(1)).toString('base64'), modelId: 'test/tiny-a' }),
    ).resolves.toHaveLength(10);

    expect(await lib.invoke('models.remove', { id: 'test/tiny-a' })).toEqual({ removed: true });
    expect(vectorCount('test/tiny-a')).toBe(0);
    expect(existsSync(path.join(libDir, 'models/test/tiny-a'))).toBe(false);
    expect(readdirSync(path.join(libDir, 'index')).some((f) => f.startsWith('test_tiny-a'))).toBe(false);
    await expect(lib.invoke('models.remove', { id: DESCRIPTOR_MODEL_ID })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('embeds new images at ingest with the descriptor and the active model', async () => {
    await writePhotos(path.join(work.dir, 'more', 'Laetiporus sulphureus'), [11, 12]);
    await ingestAndWait(lib, [path.join(work.dir, 'more')], { workers: 1 });
    expect(vectorCount(DESCRIPTOR_MODEL_ID)).toBe(12);
    expect(vectorCount('test/tiny-b')).toBe(12);
    const hits = await lib.invoke('search.image', { imageId: idOf(11), modelId: 'test/tiny-b', limit: 1 });
    expect(hits[0]!.imageId).toBe(idOf(11));
  });

  it('suggests taxa zero-shot over the library vocabulary plus a list file, without overriding source claims', async () => {
    const vocab = path.join(work.dir, 'vocab.txt');
    writeFileSync(vocab, '# extra taxa\nBoletus edulis\nCantharellus cibarius\namanita muscaria\n');
    const { jobId } = await lib.invoke('labels.suggest', { vocabularyFile: vocab, topK: 3 });
    const job = await lib.waitForJob(jobId);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ modelId: 'test/tiny-b', taxa: 5, suggested: 12 });
    const rows = lib.db.prepare('SELECT taxon, score FROM label_suggestion WHERE image_id = ? ORDER BY position').all(idOf(9)) as {
      taxon: string;
      score: number;
    }[];
    expect(rows).toHaveLength(3);
    expect(rows[0]!.score).toBeGreaterThanOrEqual(rows[1]!.score);
    const state = (seed: number) => lib.db.prepare('SELECT state FROM label WHERE image_id = ?').pluck().get(idOf(seed));
    expect(state(9)).toBe('model_suggested');
    expect(state(1)).toBe('source_claimed');
    await expect(lib.invoke('labels.suggest', { vocabularyFile: path.join(work.dir, 'missing.txt') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
