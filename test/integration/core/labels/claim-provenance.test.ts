// Label provenance survives undo: undo stops at the source claim, re-ingest restores a lost claim, history shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Library } from '../../../../src-main/core/library';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let root: string;
let id: number;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  const photos = makeTempDir('sporeprint-claims-');
  root = photos.dir;
  const folder = path.join(root, 'Amanita muscaria');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'a.jpg'), await makePhoto(11, { width: 320, height: 240 }));
  const opened = openTempLibrary();
  lib = opened.lib;
  cleanups.push(opened.cleanup, photos.cleanup);
  await ingestAndWait(lib, [root]);
  id = (await lib.invoke('images.resolve', { ref: path.join(folder, 'a.jpg') })).id;
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('source claims and undo', () => {
  it('a second undo after verify + undo keeps the folder claim and says why', async () => {
    await lib.invoke('labels.set', { imageIds: [id], state: 'human_verified', taxon: 'Amanita pantherina' });
    expect(await lib.invoke('labels.undo', { imageId: id })).toMatchObject({ taxon: 'Amanita muscaria', state: 'source_claimed' });
    await expect(lib.invoke('labels.undo', { imageId: id })).rejects.toThrow(
      /back at its source claim \(folder:Amanita muscaria\); undo never goes below the claim/,
    );
    const detail = await lib.invoke('images.get', { id });
    expect(detail.label).toMatchObject({
      taxon: 'Amanita muscaria',
      state: 'source_claimed',
      evidence: { source: 'folder:Amanita muscaria' },
    });
    const history = await lib.invoke('labels.history', { imageId: id });
    expect(history[0]).toMatchObject({ action: 'claim', evidence: { source: 'folder:Amanita muscaria' } });
  });

  it('re-ingesting an unchanged folder restores a claim an older version lost', async () => {
    // What the old undo did: removed the label row of a claimed image.
    lib.db.prepare(`DELETE FROM label WHERE image_id = ?`).run(id);
    const job = await ingestAndWait(lib, [root]);
    expect(job.result).toMatchObject({ added: 0, claimsUpdated: 1 });
    expect((await lib.invoke('images.get', { id })).label).toMatchObject({ taxon: 'Amanita muscaria', state: 'source_claimed' });
  }, 60_000);
});
