// ingest --license/--attribution: photos that carry no licence take the one the user named; a licence a sidecar
// gave is never replaced, whatever order the copies of a photo are read in, and even when the sidecar comes later.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(): Promise<{ lib: Library; root: string }> {
  const photos = makeTempDir('sporeprint-ingest-licence-');
  const opened = openTempLibrary();
  cleanups.push(opened.cleanup, photos.cleanup);
  return { lib: opened.lib, root: photos.dir };
}

async function writePhoto(file: string, seed: number): Promise<Buffer> {
  mkdirSync(path.dirname(file), { recursive: true });
  const bytes = await makePhoto(seed, { width: 320, height: 240 });
  writeFileSync(file, bytes);
  return bytes;
}

async function licenceOf(lib: Library, file: string) {
  const { id } = await lib.invoke('images.resolve', { ref: file });
  const d = await lib.invoke('images.get', { id });
  return { license: d.license, attribution: d.attribution };
}

async function ingestWith(lib: Library, paths: string[], license?: { license: string; attribution?: string }) {
  const { jobId } = await lib.invoke('ingest.start', { paths, workers: 1, ...license, author: 'ann' });
  return lib.waitForJob(jobId);
}

describe('ingest --license', () => {
  it('licenses photos without one, keeps a sidecar licence, and records the change for undo', async () => {
    const { lib, root } = await setup();
    await writePhoto(path.join(root, 'mine', 'a.jpg'), 1);
    await writePhoto(path.join(root, 'mine', 'b.jpg'), 2);
    await writePhoto(path.join(root, 'given', 'c.jpg'), 3);
    writeFileSync(path.join(root, 'given', 'meta.csv'), 'file,license,photographer\nc.jpg,CC BY-NC 4.0,Nina\n');
    const job = await ingestWith(lib, [root], { license: 'CC BY 4.0', attribution: 'Ann Smith' });
    expect(job.result).toMatchObject({ added: 3, licensed: 2 });
    expect(await licenceOf(lib, path.join(root, 'mine', 'a.jpg'))).toEqual({ license: 'CC-BY-4.0', attribution: 'Ann Smith' });
    expect(await licenceOf(lib, path.join(root, 'given', 'c.jpg'))).toEqual({ license: 'CC-BY-NC-4.0', attribution: 'Nina' });
    const { id } = await lib.invoke('images.resolve', { ref: path.join(root, 'mine', 'b.jpg') });
    expect(await lib.invoke('licenses.history', { imageId: id })).toEqual([
      expect.objectContaining({ action: 'ingest', author: 'ann', from: expect.objectContaining({ license: null }) }),
    ]);
    const undone = await lib.invoke('licenses.undo', { paths: [path.join(root, 'mine')] });
    expect(undone.undone).toBe(2);
    expect(await licenceOf(lib, path.join(root, 'mine', 'a.jpg'))).toEqual({ license: null, attribution: null });
  }, 60_000);

  it('licenses photos catalogued by an earlier run that had no --license', async () => {
    const { lib, root } = await setup();
    await writePhoto(path.join(root, 'a.jpg'), 4);
    await ingestWith(lib, [root]);
    expect(await licenceOf(lib, path.join(root, 'a.jpg'))).toEqual({ license: null, attribution: null });
    const job = await ingestWith(lib, [root], { license: 'cc-by-sa', attribution: 'Ann Smith' });
    expect(job.result).toMatchObject({ added: 0, licensed: 1 });
    expect(await licenceOf(lib, path.join(root, 'a.jpg'))).toEqual({ license: 'CC-BY-SA', attribution: 'Ann Smith' });
  }, 60_000);

  it('a copy with a sidecar keeps its licence even when a copy without one is read first in the same run', async () => {
    const { lib, root } = await setup();
    // Same bytes, same size: the run reads them in path order, the copy without a sidecar first.
    const bytes = await writePhoto(path.join(root, 'a-mine', 'x.jpg'), 5);
    mkdirSync(path.join(root, 'b-given'));
    writeFileSync(path.join(root, 'b-given', 'x.jpg'), bytes);
    writeFileSync(path.join(root, 'b-given', 'meta.csv'), 'file,license,photographer\nx.jpg,CC BY-SA 4.0,Nina\n');
    const job = await ingestWith(lib, [root], { license: 'CC0' });
    expect(job.result).toMatchObject({ added: 1, copies: 1 });
    expect(await licenceOf(lib, path.join(root, 'a-mine', 'x.jpg'))).toEqual({ license: 'CC-BY-SA-4.0', attribution: 'Nina' });
  }, 60_000);

  it('a sidecar added after an ingest --license gives its own licence and credit, recorded and undoable', async () => {
    const { lib, root } = await setup();
    const file = path.join(root, 'a.jpg');
    await writePhoto(file, 6);
    await ingestWith(lib, [root], { license: 'CC-BY-4.0', attribution: 'Ann Smith' });
    writeFileSync(path.join(root, 'meta.csv'), 'file,license,photographer\na.jpg,CC BY-NC 4.0,Nina\n');
    const job = await ingestWith(lib, [root]);
    expect(job.result).toMatchObject({ added: 0, claimsUpdated: 1 });
    expect(await licenceOf(lib, file)).toEqual({ license: 'CC-BY-NC-4.0', attribution: 'Nina' });
    const { id } = await lib.invoke('images.resolve', { ref: file });
    const history = await lib.invoke('licenses.history', { imageId: id });
    expect(history.map((e) => [e.action, e.to.license])).toEqual([
      ['ingest', 'CC-BY-4.0'],
      ['ingest', 'CC-BY-NC-4.0'],
    ]);
    expect(history[1]!.note).toMatch(/sidecar/);
    // Stable: another run changes nothing.
    expect((await ingestWith(lib, [root])).result).toMatchObject({ claimsUpdated: 0 });
    await lib.invoke('licenses.undo', { imageIds: [id] });
    expect(await licenceOf(lib, file)).toEqual({ license: 'CC-BY-4.0', attribution: 'Ann Smith' });
  }, 90_000);

  it('a licence set by hand is never replaced by a sidecar added later', async () => {
    const { lib, root } = await setup();
    const file = path.join(root, 'a.jpg');
    await writePhoto(file, 7);
    await ingestWith(lib, [root]);
    await lib.invoke('licenses.set', { paths: [file], license: 'CC0' });
    writeFileSync(path.join(root, 'meta.csv'), 'file,license,photographer\na.jpg,CC BY-NC 4.0,Nina\n');
    await ingestWith(lib, [root]);
    expect(await licenceOf(lib, file)).toEqual({ license: 'CC0-1.0', attribution: 'Nina' });
  }, 90_000);

  it('refuses an unknown licence, and --attribution without a licence, before any job starts', async () => {
    const { lib, root } = await setup();
    await expect(lib.invoke('ingest.start', { paths: [root], license: 'free for all' })).rejects.toThrow(/not a licence Sporeprint knows/);
    await expect(lib.invoke('ingest.start', { paths: [root], attribution: 'Ann' })).rejects.toThrow(/--attribution needs --license/);
    expect((await lib.invoke('jobs.list', {})).length).toBe(0);
  });
});

describe('sidecar licences on a re-run', () => {
  it('a licence nobody could read is filled when the sidecar is corrected, or when another copy carries one', async () => {
    const { lib, root } = await setup();
    await writePhoto(path.join(root, 'a', 'x.jpg'), 8);
    writeFileSync(path.join(root, 'a', 'meta.csv'), 'file,license,photographer\nx.jpg,see my website,Nina\n');
    await ingestWith(lib, [root]);
    expect(await licenceOf(lib, path.join(root, 'a', 'x.jpg'))).toEqual({ license: 'UNKNOWN', attribution: 'Nina' });
    writeFileSync(path.join(root, 'a', 'meta.csv'), 'file,license,photographer\nx.jpg,CC BY 4.0,Nina\n');
    expect((await ingestWith(lib, [root])).result).toMatchObject({ claimsUpdated: 1 });
    expect(await licenceOf(lib, path.join(root, 'a', 'x.jpg'))).toEqual({ license: 'CC-BY-4.0', attribution: 'Nina' });
    expect((await ingestWith(lib, [root])).result).toMatchObject({ claimsUpdated: 0 });

    // A new copy in another folder, whose sidecar names a licence, fills the unknown one of the image it copies.
    const other = await setup();
    await writePhoto(path.join(other.root, 'a', 'y.jpg'), 9);
    writeFileSync(path.join(other.root, 'a', 'meta.csv'), 'file,license\ny.jpg,ask me\n');
    await ingestWith(other.lib, [path.join(other.root, 'a')]);
    mkdirSync(path.join(other.root, 'b'));
    writeFileSync(path.join(other.root, 'b', 'y.jpg'), await makePhoto(9, { width: 320, height: 240 }));
    writeFileSync(path.join(other.root, 'b', 'meta.csv'), 'file,license\ny.jpg,CC0\n');
    expect((await ingestWith(other.lib, [path.join(other.root, 'b')])).result).toMatchObject({ copies: 1 });
    expect((await licenceOf(other.lib, path.join(other.root, 'a', 'y.jpg'))).license).toBe('CC0-1.0');
  }, 120_000);
});
