// Export says what it left out, every time: per-rule counts with what to do, and why an export is empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Library } from '../../../src-main/core/library';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

let lib: Library;
let folder: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  const photos = makeTempDir('sporeprint-left-out-');
  folder = path.join(photos.dir, 'Amanita muscaria');
  mkdirSync(folder);
  for (const seed of [1, 2, 3, 4])
    writeFileSync(path.join(folder, `p${seed}.jpg`), await makePhoto(seed * 53, { width: 320, height: 240 }));
  const opened = openTempLibrary();
  lib = opened.lib;
  cleanups.push(opened.cleanup, photos.cleanup);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
});

const plan = (view: 'training_verified' | 'training_general') => lib.invoke('export.plan', { outDir: '/tmp/unused', view });

describe('export left-out report', () => {
  it('explains the empty default view on a fresh library', async () => {
    const p = await plan('training_verified');
    expect(p.images).toBe(0);
    expect(p.emptyReason).toMatch(/no photos yet: ingest a folder first/);
  }, 30_000);

  it('says that unverified labels are not in the default view, and what to do', async () => {
    await ingestAndWait(lib, [path.dirname(folder)]);
    const p = await plan('training_verified');
    expect(p.notInView).toEqual({ unlabelled: 0, disputed: 0, notVerified: 4, belowHq: 0 });
    expect(p.leftOut.map((r) => [r.rule, r.images])).toEqual([['not_in_view', 4]]);
    expect(p.emptyReason).toMatch(/4 are labelled but not human-verified.*--view training_general/);
    // The photos' missing licence is said now too, not only once the user has switched views.
    expect(p.emptyReason).toMatch(/and 4 catalogued photo\(s\) have no licence: set one with `sporeprint license set <folder>/);
  }, 60_000);

  it('counts photos without a licence apart from licences outside the allow-list, and names the fix', async () => {
    const [first] = (await lib.invoke('images.list', { limit: 10, sort: 'created', order: 'asc' })).items;
    await lib.invoke('licenses.set', { imageIds: [first!.id], license: 'CC-BY-NC-4.0', attribution: 'Ann' });
    const p = await plan('training_general');
    expect(p.excludedLicenseUnknown).toBe(3);
    expect(p.excludedByLicense).toBe(1);
    const unknown = p.leftOut.find((r) => r.rule === 'license_unknown')!;
    expect(unknown.hint).toMatch(/3 photo\(s\) have no licence: set one with `sporeprint license set <folder> --license/);
    expect(p.emptyReason).toMatch(/nothing to export from 4 catalogued/);
  });

  it('two commands: license set on the folder, then the export holds every photo and says nothing was left out', async () => {
    await lib.invoke('licenses.set', { paths: [folder], license: 'CC BY 4.0' });
    let p = await plan('training_general');
    expect(p.leftOut.map((r) => [r.rule, r.images])).toEqual([['attribution_missing', 3]]);
    await lib.invoke('licenses.set', { paths: [folder], license: 'CC-BY-4.0', attribution: 'Ann Smith' });
    p = await plan('training_general');
    expect(p).toMatchObject({ images: 4, leftOut: [], emptyReason: null });
  });
});
