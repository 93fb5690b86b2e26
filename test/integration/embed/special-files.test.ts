// Paths that are not regular files, given to API methods that read a file the caller names: /dev/zero would never
// end, a FIFO would block for good. Each is refused at once with a sentence naming the path and what it is.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taxonVocabulary } from '../../../src-main/core/embed/suggest-job';
import { SporeprintError } from '../../../src-main/core/errors';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import { writeTinyClipModel } from '../../fixtures/tiny-clip-model';

let temp: ReturnType<typeof makeTempDir>;
let lib: ReturnType<typeof openTempLibrary>;

function mkfifo(file: string): string {
  execFileSync('mkfifo', [file]);
  return file;
}

/** Fails instead of hanging when the call blocks (the defect this file reproduces). */
function within<T>(promise: Promise<T>, ms = 15_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

beforeAll(() => {
  temp = makeTempDir('sporeprint-special-');
  lib = openTempLibrary();
});
afterAll(async () => {
  await lib?.cleanup();
  temp?.cleanup();
});

describe('search.image with a path', () => {
  it('refuses /dev/zero as a character device instead of reading it forever', async () => {
    const err = await within(lib.lib.invoke('search.image', { path: '/dev/zero' }).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(SporeprintError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', path: '/dev/zero' });
    expect((err as Error).message).toBe('/dev/zero: the query image is a character device, not a regular file');
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = mkfifo(path.join(temp.dir, 'query.jpg'));
    const err = await within(lib.lib.invoke('search.image', { path: fifo }).catch((e: unknown) => e));
    expect(err).toMatchObject({ code: 'INVALID_INPUT', path: fifo });
    expect((err as Error).message).toMatch(/is a FIFO \(named pipe\), not a regular file/);
  });

  it('refuses a folder and names a missing file', async () => {
    await expect(lib.lib.invoke('search.image', { path: temp.dir })).rejects.toThrow(/the query image is a folder/);
    await expect(lib.lib.invoke('search.image', { path: path.join(temp.dir, 'gone.jpg') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the suggestion vocabulary file', () => {
  it('refuses a FIFO instead of blocking the library thread', () => {
    const fifo = mkfifo(path.join(temp.dir, 'taxa.txt'));
    // Before the fix the read blocked until a writer came: this one comes after 3 s and writes one taxon.
    const writer = spawn('sh', ['-c', `sleep 3; echo "Amanita muscaria" > '${fifo}'`], { stdio: 'ignore' });
    try {
      expect(() => taxonVocabulary(lib.lib, fifo)).toThrow(/the vocabulary file is a FIFO/);
    } finally {
      writer.kill();
    }
  });
});

describe('models.import', () => {
  it('refuses a model folder holding a FIFO or a link to a device, naming the file', async () => {
    const withFifo = writeTinyClipModel(path.join(temp.dir, 'model-fifo'), { seed: 3, dim: 8 });
    mkfifo(path.join(withFifo, 'notes.pipe'));
    await expect(lib.lib.invoke('models.import', { folder: withFifo })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      path: path.join(withFifo, 'notes.pipe'),
    });

    const withDevice = writeTinyClipModel(path.join(temp.dir, 'model-device'), { seed: 3, dim: 8 });
    mkdirSync(path.join(withDevice, 'extra'));
    symlinkSync('/dev/null', path.join(withDevice, 'extra', 'weights.bin'));
    const err = await lib.lib.invoke('models.import', { folder: withDevice }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/extra\/weights\.bin: a file in the model folder is a character device/);
    expect((await lib.lib.invoke('models.list', {})).map((m) => m.id)).not.toContain('model-device');
  });
});
