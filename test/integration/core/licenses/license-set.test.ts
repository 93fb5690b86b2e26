// Licences by hand: a folder or an image gets a licence and credit, every change is audited and undoable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Library } from '../../../../src-main/core/library';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let root: string;
let ids: number[];
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  const photos = makeTempDir('sporeprint-licences-');
  root = photos.dir;
  mkdirSync(path.join(root, 'mine'));
  mkdirSync(path.join(root, 'sidecar'));
  for (const seed of [1, 2])
    writeFileSync(path.join(root, 'mine', `p${seed}.jpg`), await makePhoto(seed * 31, { width: 300, height: 200 }));
  writeFileSync(path.join(root, 'sidecar', 'p3.jpg'), await makePhoto(93, { width: 300, height: 200 }));
  writeFileSync(path.join(root, 'sidecar', 'meta.csv'), 'file,license,photographer\np3.jpg,CC BY-NC 4.0,Nina\n');
  const opened = openTempLibrary();
  lib = opened.lib;
  cleanups.push(opened.cleanup, photos.cleanup);
  await ingestAndWait(lib, [root]);
  ids = [];
  for (const f of ['mine/p1.jpg', 'mine/p2.jpg', 'sidecar/p3.jpg'])
    ids.push((await lib.invoke('images.resolve', { ref: path.join(root, f) })).id);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
});

const fields = async (id: number) => {
  const d = await lib.invoke('images.get', { id });
  return { license: d.license, attribution: d.attribution };
};

describe('licenses.set', () => {
  it('applies to every image catalogued under a folder, normalising the spelling', async () => {
    const r = await lib.invoke('licenses.set', {
      paths: [path.join(root, 'mine')],
      license: 'CC BY 4.0',
      attribution: 'Ann Smith',
      author: 'ann',
    });
    expect(r).toMatchObject({ license: 'CC-BY-4.0', images: 2, changed: 2, unchanged: 0, missingAttribution: 0 });
    expect(await fields(ids[0]!)).toEqual({ license: 'CC-BY-4.0', attribution: 'Ann Smith' });
    const history = await lib.invoke('licenses.history', { imageId: ids[1]! });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      action: 'set',
      author: 'ann',
      from: { license: null },
      to: { license: 'CC-BY-4.0', attribution: 'Ann Smith' },
    });
    expect(history[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('refuses a licence the vocabulary does not know, and a path that names nothing catalogued', async () => {
    await expect(lib.invoke('licenses.set', { imageIds: [ids[0]!], license: 'free for all' })).rejects.toThrow(
      /not a licence Sporeprint knows/,
    );
    await expect(lib.invoke('licenses.set', { paths: [path.join(root, 'nowhere')], license: 'CC0' })).rejects.toThrow(
      /no catalogued image/,
    );
  });

  it('onlyMissing never replaces the licence a sidecar gave', async () => {
    expect(await fields(ids[2]!)).toEqual({ license: 'CC-BY-NC-4.0', attribution: 'Nina' });
    const r = await lib.invoke('licenses.set', { paths: [root], license: 'CC0-1.0', onlyMissing: true });
    expect(r.changed).toBe(0);
    expect(await fields(ids[2]!)).toEqual({ license: 'CC-BY-NC-4.0', attribution: 'Nina' });
  });

  it('counts changed images left without the credit their licence needs', async () => {
    const r = await lib.invoke('licenses.set', { imageIds: [ids[2]!], license: 'CC-BY-SA-4.0' });
    expect(r).toMatchObject({ changed: 1, missingAttribution: 0 });
    await lib.invoke('licenses.undo', { imageIds: [ids[2]!] });
  });

  it('undo walks back one change at a time, to exactly what was there, and says when nothing is left', async () => {
    await lib.invoke('licenses.set', { imageIds: [ids[0]!], license: 'CC0', author: 'bob' });
    expect(await fields(ids[0]!)).toEqual({ license: 'CC0-1.0', attribution: 'Ann Smith' });
    let r = await lib.invoke('licenses.undo', { imageIds: [ids[0]!] });
    expect(r.images[0]).toMatchObject({ license: 'CC-BY-4.0', attribution: 'Ann Smith' });
    r = await lib.invoke('licenses.undo', { paths: [path.join(root, 'mine', 'p1.jpg')] });
    expect(r.images[0]).toMatchObject({ license: null, attribution: null });
    await expect(lib.invoke('licenses.undo', { imageIds: [ids[0]!] })).rejects.toThrow(/no licence change to undo/);
    const actions = (await lib.invoke('licenses.history', { imageId: ids[0]! })).map((e) => e.action);
    expect(actions).toEqual(['set', 'set', 'undo', 'undo']);
  });

  it('the "my photos" default is used only where asked, and must exist first', async () => {
    await expect(lib.invoke('licenses.set', { imageIds: [ids[0]!], mine: true })).rejects.toThrow(/no "my photos" default/);
    expect(await lib.invoke('licenses.setMyPhotos', { license: 'cc-by-sa', attribution: 'Ann Smith' })).toEqual({
      license: 'CC-BY-SA',
      attribution: 'Ann Smith',
    });
    expect((await lib.invoke('licenses.vocabulary', {})).myPhotos).toEqual({ license: 'CC-BY-SA', attribution: 'Ann Smith' });
    await lib.invoke('licenses.set', { imageIds: [ids[0]!], mine: true });
    expect(await fields(ids[0]!)).toEqual({ license: 'CC-BY-SA', attribution: 'Ann Smith' });
  });
});
