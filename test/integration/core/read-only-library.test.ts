// A library that cannot be written here (a read-only folder, filesystem or catalogue file): stats, listing, search,
// duplicates and export work from it; every change is refused with "the library is read-only", and nothing in the
// library folder is touched.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../../src-main/core/library';
import { makeReadOnly } from '../../fixtures/read-only-folder';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir } from '../../fixtures/temp-library';

let temp: ReturnType<typeof makeTempDir>;
let libraryDir: string;
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  temp = makeTempDir('sporeprint-readonly-');
  libraryDir = path.join(temp.dir, 'library');
  for (const [taxon, seeds] of [
    ['Amanita muscaria', [1, 2, 3]],
    ['Trametes versicolor', [4, 5, 6]],
  ] as const) {
    const folder = path.join(temp.dir, 'photos', taxon);
    mkdirSync(folder, { recursive: true });
    for (const seed of seeds) writeFileSync(path.join(folder, `${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
    writeFileSync(path.join(folder, 'licences.csv'), `file,license,photographer\n${seeds.map((s) => `${s}.jpg,CC0,Ann`).join('\n')}\n`);
  }
  const lib = Library.open(libraryDir, { env: {} });
  expect((await ingestAndWait(lib, [path.join(temp.dir, 'photos')], { workers: 1 })).status).toBe('completed');
  await lib.invoke('duplicates.clusters', {});
  await lib.close();
});
afterAll(() => temp?.cleanup());

async function exercise(lib: Library, outDir: string): Promise<void> {
  expect(lib.readOnly).toBe(true);
  expect((await lib.invoke('library.info', {})).readOnly).toMatch(/^the library is read-only \(/);
  expect((await lib.invoke('stats.get', {})).images).toBe(6);
  const images = await lib.invoke('images.list', {});
  expect(images.items).toHaveLength(6);
  const hits = await lib.invoke('search.image', { imageId: images.items[0]!.id, limit: 3 });
  expect(hits[0]!.imageId).toBe(images.items[0]!.id);
  expect((await lib.invoke('duplicates.clusters', {})).total).toBeGreaterThanOrEqual(0);
  const options = { outDir, view: 'training_general' as const, split: [50, 25, 25] as [number, number, number], minPerClass: 1 };
  expect((await lib.invoke('export.plan', options)).images).toBe(6);
  const job = await lib.waitForJob((await lib.invoke('export.start', options)).jobId);
  expect(job.error).toBeNull();
  expect(job.status).toBe('completed');
  expect(existsSync(path.join(outDir, 'ATTRIBUTION.md'))).toBe(true);
  expect((await lib.invoke('jobs.list', {}))[0]).toMatchObject({ id: job.id, kind: 'export', status: 'completed' });

  const image = images.items[0]!.id;
  for (const [method, input] of [
    ['labels.set', { imageIds: [image], state: 'human_verified' }],
    ['ingest.start', { paths: [path.join(temp.dir, 'photos')] }],
    ['duplicates.decide', { action: 'keep', imageId: image }],
  ] as const) {
    const err = await lib.invoke(method, input as never).catch((e: unknown) => e);
    expect(err, method).toMatchObject({ code: 'LIBRARY_READ_ONLY' });
    expect((err as Error).message).toMatch(/the library is read-only/);
  }
  // Another threshold is only a preview (a pure read), so it works here; putting it in force is refused in words.
  const preview = await lib.invoke('duplicates.clusters', { threshold: 3 });
  expect(preview).toMatchObject({ threshold: 3, preview: true });
  await expect(lib.invoke('duplicates.applyThreshold', { threshold: 3 })).rejects.toMatchObject({
    code: 'LIBRARY_READ_ONLY',
    message: expect.stringMatching(/the library is read-only/),
  });
}

describe('a read-only library folder', () => {
  it('reads, searches, lists duplicates and exports; refuses every change in words; writes nothing', async (ctx) => {
    const before = readdirSync(libraryDir).sort();
    const catalogDigest = digest(path.join(libraryDir, 'catalog.db'));
    const undo = makeReadOnly(libraryDir);
    if (!undo) return ctx.skip();
    try {
      const lib = Library.open(libraryDir, { env: {} });
      try {
        expect(lib.readOnlyReason).toMatch(/its folder is (on a read-only filesystem|not writable by this user)/);
        await exercise(lib, path.join(temp.dir, 'export-from-folder'));
      } finally {
        await lib.close();
      }
    } finally {
      undo();
    }
    expect(readdirSync(libraryDir).sort()).toEqual(before);
    expect(digest(path.join(libraryDir, 'catalog.db'))).toBe(catalogDigest);
  });
});

describe('a read-only catalogue file in a writable folder', () => {
  it('opens read-only the same way and takes no owner lock', async (ctx) => {
    const undo = makeReadOnly(path.join(libraryDir, 'catalog.db'));
    if (!undo) return ctx.skip();
    try {
      const lib = Library.open(libraryDir, { env: {} });
      try {
        expect(lib.readOnlyReason).toMatch(/catalog\.db is (on a read-only filesystem|not writable by this user)/);
        expect(existsSync(path.join(libraryDir, 'library.lock'))).toBe(false);
        await exercise(lib, path.join(temp.dir, 'export-from-file'));
      } finally {
        await lib.close();
      }
    } finally {
      undo();
    }
  });
});
