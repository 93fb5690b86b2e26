// The backfill job: cancelled half-way it keeps what it stored and a second run embeds only the rest;
// a library whose index files are deleted or damaged rebuilds them from the catalogue on next use.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir } from '../../fixtures/temp-library';
import { writeTinyClipModel } from '../../fixtures/tiny-clip-model';

let work: { dir: string; cleanup: () => void };
const env = { IMAGE_BATCH_SIZE: '1' };
const PHOTOS = 40;

beforeAll(async () => {
  work = makeTempDir('sporeprint-embed-job-');
  mkdirSync(path.join(work.dir, 'photos'));
  // Enough images that a cancel sent on a progress event (emitted at most every 100 ms) lands mid-run.
  for (let s = 1; s <= PHOTOS; s++)
    writeFileSync(path.join(work.dir, 'photos', `${s}.jpg`), await makePhoto(500 + s, { width: 320, height: 240 }));
  writeTinyClipModel(path.join(work.dir, 'tiny'), { seed: 9, dim: 16 });
});
afterAll(() => work.cleanup());

const count = (lib: Library, model: string) =>
  lib.db.prepare('SELECT count(*) FROM image_vector WHERE model_id = ?').pluck().get(model) as number;

describe('embed backfill', () => {
  it('resumes after a cancel, embedding only what is missing', async () => {
    const libDir = path.join(work.dir, 'lib');
    let lib = Library.open(libDir, { env });
    await ingestAndWait(lib, [path.join(work.dir, 'photos')], { workers: 1 });
    await lib.invoke('models.import', { folder: path.join(work.dir, 'tiny'), id: 'tiny' });
    await lib.invoke('models.use', { id: 'tiny' });
    let jobId = -1;
    const off = lib.on('job.progress', (job) => {
      if (job.id === jobId && job.done >= 3) lib.jobs.cancel(jobId);
    });
    jobId = (await lib.invoke('embed.start', {})).jobId;
    const cancelled = await lib.waitForJob(jobId);
    off();
    expect(cancelled.status).toBe('cancelled');
    const stored = count(lib, 'tiny');
    expect(stored).toBeGreaterThanOrEqual(3);
    expect(stored).toBeLessThan(PHOTOS);
    await lib.close();

    // A new process: the interrupted job's vectors are kept, the index is repaired, the rest is embedded.
    lib = Library.open(libDir, { env });
    const done = await lib.waitForJob((await lib.invoke('embed.start', {})).jobId);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ models: { tiny: { embedded: PHOTOS - stored } } });
    expect(count(lib, 'tiny')).toBe(PHOTOS);
    const hits = await lib.invoke('search.text', { text: 'brown cap', limit: 100 });
    expect(hits).toHaveLength(PHOTOS);
    await lib.close();
  });

  it('rebuilds deleted or damaged index files from the catalogue when a library is reopened', async () => {
    const libDir = path.join(work.dir, 'lib');
    rmSync(path.join(libDir, 'index'), { recursive: true });
    let lib = Library.open(libDir, { env });
    const first = await lib.invoke('search.image', { imageId: 5, modelId: 'tiny', limit: 3 });
    expect(first[0]!.imageId).toBe(5);
    const descriptor = await lib.invoke('search.image', { imageId: 5, limit: 3 });
    expect(descriptor[0]!.imageId).toBe(5);
    await lib.close();
    const files = readdirSync(path.join(libDir, 'index')).filter((f) => f.endsWith('.hnsw'));
    expect(files).toHaveLength(2);
    for (const f of files) writeFileSync(path.join(libDir, 'index', f), 'garbage');
    lib = Library.open(libDir, { env });
    expect((await lib.invoke('search.image', { imageId: 7, modelId: 'tiny', limit: 1 }))[0]!.imageId).toBe(7);
    expect((await lib.invoke('search.text', { text: 'cap', limit: 12 })).length).toBe(12);
    await lib.close();
    expect(existsSync(path.join(libDir, 'index', files[0]!))).toBe(true);
  });
});
