// Every mistake a user can make in Search, Import and Export is answered over HTTP with a 4xx and a sentence that
// names what is wrong; 500 stays for real faults.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

describe('user errors over HTTP', () => {
  let lib: ReturnType<typeof openTempLibrary>;
  let work: ReturnType<typeof makeTempDir>;
  let server: RunningServer;
  const call = async (method: string, body: unknown) => {
    const res = await fetch(`${server.url}api/${method}`, {
      method: 'POST',
      headers: { 'x-sporeprint-token': server.token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, error: ((await res.json()) as { error?: { code: string; message: string } }).error };
  };

  beforeAll(async () => {
    lib = openTempLibrary();
    work = makeTempDir('sporeprint-user-errors-');
    mkdirSync(path.join(work.dir, 'renderer'));
    writeFileSync(path.join(work.dir, 'renderer', 'index.html'), '<!doctype html><title>Sporeprint</title>');
    const photos = path.join(work.dir, 'photos', 'Amanita muscaria');
    mkdirSync(photos, { recursive: true });
    for (const seed of [1, 2]) writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    expect((await ingestAndWait(lib.lib, [path.join(work.dir, 'photos')], { workers: 1 })).status).toBe('completed');
    writeFileSync(path.join(work.dir, 'notes.txt'), 'field notes, not a photo\n');
    mkdirSync(path.join(work.dir, 'not-empty'));
    writeFileSync(path.join(work.dir, 'not-empty', 'keep.txt'), 'x');
    server = await startServer(lib.lib, { rendererDir: path.join(work.dir, 'renderer') });
  });
  afterAll(async () => {
    await server?.close();
    await lib?.cleanup();
    work?.cleanup();
  });

  const cases: [string, string, () => unknown, RegExp][] = [
    ['text search without a model', 'search.text', () => ({ text: 'orange cap' }), /needs a CLIP model/],
    ['an empty text query', 'search.text', () => ({ text: '   ' }), /search\.text: text/],
    ['a query file that is not an image', 'search.image', () => ({ path: path.join(work.dir, 'notes.txt') }), /notes\.txt|image/i],
    ['a query file that does not exist', 'search.image', () => ({ path: path.join(work.dir, 'gone.jpg') }), /gone\.jpg/],
    [
      'query bytes that are not an image',
      'search.image',
      () => ({ bytesBase64: Buffer.from('not a photo').toString('base64') }),
      /not a readable image/,
    ],
    ['a query image not in the library', 'search.image', () => ({ imageId: 999_999 }), /999999/],
    ['an image model not installed', 'search.image', () => ({ imageId: 1, modelId: 'Xenova/clip-vit-base-patch16' }), /not installed/],
    ['a model folder that does not exist', 'models.import', () => ({ folder: path.join(work.dir, 'no-model') }), /no-model/],
    ['a folder that is not a model', 'models.import', () => ({ folder: path.join(work.dir, 'photos') }), /photos/],
    ['switching to a model not installed', 'models.use', () => ({ id: 'Xenova/clip-vit-base-patch32' }), /clip-vit-base-patch32/],
    ['an import of a folder that does not exist', 'ingest.start', () => ({ paths: [path.join(work.dir, 'nowhere')] }), /nowhere/],
    [
      'an export into a folder that is not empty',
      'export.start',
      () => ({ outDir: path.join(work.dir, 'not-empty'), view: 'training_general' }),
      /not-empty/,
    ],
    ['an export into a file', 'export.start', () => ({ outDir: path.join(work.dir, 'notes.txt'), view: 'training_general' }), /notes\.txt/],
    ['an export to a relative folder', 'export.start', () => ({ outDir: 'dataset' }), /full path/],
    ['a split that does not add up', 'export.plan', () => ({ outDir: path.join(work.dir, 'x'), split: [80, 10, 5] }), /add up to 100/],
    ['an image that does not exist', 'images.get', () => ({ id: 999_999 }), /999999/],
    ['a job that does not exist', 'jobs.get', () => ({ id: 999_999 }), /999999/],
  ];

  it.each(cases)('answers %s with a 4xx and a sentence', async (_what, method, input, words) => {
    const { status, error } = await call(method, input());
    expect(status, `${method}: ${error?.code} ${error?.message}`).toBeGreaterThanOrEqual(400);
    expect(status, `${method}: ${error?.code} ${error?.message}`).toBeLessThan(500);
    expect(error?.message).toMatch(words);
    expect(error!.message.split(' ').length).toBeGreaterThanOrEqual(3);
  });
});
