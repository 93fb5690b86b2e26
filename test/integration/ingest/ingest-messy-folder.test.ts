// Ingest of a generated messy folder: every file accounted for, copies become locations, labels claimed.
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessyFolder, type MessyFolder } from '../../fixtures/messy-folder';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';
import type { Library } from '../../../src-main/core/library';
import { TEMP_DIR } from '../../../src-main/core/library-paths';

let folder: MessyFolder;
let lib: Library;
let libDir: string;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  const photos = makeTempDir('sporeprint-photos-');
  cleanups.push(photos.cleanup);
  folder = await buildMessyFolder(photos.dir);
  // The huge PNG is ~6 MB; a 2 MB limit makes it the oversized file.
  const opened = openTempLibrary({ IMAGE_MAX_SIZE_MB: '2' });
  lib = opened.lib;
  libDir = opened.dir;
  cleanups.push(opened.cleanup);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('ingest of a messy folder', () => {
  it('adds each unique picture once, records copies as locations, rejects the rest with reasons', async () => {
    const job = await ingestAndWait(lib, [folder.root]);
    expect(job.status).toBe('completed');
    const result = job.result as Record<string, unknown>;
    expect(result.added).toBe(folder.uniqueImages);
    expect(result.copies).toBe(1);
    expect(result.sidecars).toBe(1);

    const stats = await lib.invoke('stats.get', {});
    expect(stats.images).toBe(folder.uniqueImages);
    expect(stats.locations).toBe(folder.goodFiles.length);

    const rejected = await lib.invoke('rejected.list', { limit: 100 });
    const byPath = Object.fromEntries(rejected.items.map((r) => [r.path, r.code]));
    expect(byPath).toEqual(folder.expectedRejections);
    for (const item of rejected.items) expect(item.message.length).toBeGreaterThan(5);
    expect(stats.formats).toEqual({ jpeg: 3, png: 2, webp: 1, tiff: 1, gif: 1 });
  });

  it('sniffs the format: a PNG named .jpg is catalogued as PNG', async () => {
    const { id } = await lib.invoke('images.resolve', { ref: path.join(folder.root, 'misc', 'really-a-png.jpg') });
    const detail = await lib.invoke('images.get', { id });
    expect(detail.format).toBe('png');
    expect([detail.width, detail.height]).toEqual([500, 400]);
  });

  it('claims taxa from folder names and sidecars, with licence and attribution', async () => {
    const a1 = await lib.invoke('images.get', {
      id: (await lib.invoke('images.resolve', { ref: path.join(folder.root, 'Amanita muscaria', 'a1.jpg') })).id,
    });
    expect(a1.label).toMatchObject({ taxon: 'Amanita muscaria', rank: 'species', state: 'source_claimed' });
    expect(a1.locations).toHaveLength(2);
    const b1 = await lib.invoke('images.get', {
      id: (await lib.invoke('images.resolve', { ref: path.join(folder.root, 'Boletus edulis', 'b1.webp') })).id,
    });
    expect(b1.label).toMatchObject({ taxon: 'Boletus reticulatus', state: 'source_claimed' });
    expect(b1.license).toBe('CC-BY-4.0');
    expect(b1.attribution).toBe('Ann Example, PhD');
    expect(b1.sourceUrl).toBe('https://example.org/obs/1');
    expect(b1.history.map((e) => e.action)).toEqual(['claim']);
    const plain = await lib.invoke('images.get', {
      id: (await lib.invoke('images.resolve', { ref: path.join(folder.root, 'misc', 'c1.tif') })).id,
    });
    expect(plain.label).toBeNull();
  });

  it('stores quality components, HQ flag and all 8 derivatives per image', async () => {
    const page = await lib.invoke('images.list', { limit: 100 });
    expect(page.total).toBe(folder.uniqueImages);
    for (const summary of page.items) {
      const detail = await lib.invoke('images.get', { id: summary.id });
      expect(detail.qualityScore).toBeGreaterThan(0);
      expect(detail.qualityScore).toBeLessThanOrEqual(100);
      expect(Object.values(detail.derivatives)).toHaveLength(8);
      for (const rel of Object.values(detail.derivatives)) expect(existsSync(path.join(libDir, rel))).toBe(true);
      expect(detail.isHq).toBe(Math.max(detail.width, detail.height) >= 1600 && detail.qualityScore >= 70);
    }
    // Each run removes its own temp folder when it ends.
    expect(readdirSync(path.join(libDir, TEMP_DIR))).toEqual([]);
  });

  it('re-running on the unchanged folder does no image work and adds nothing', async () => {
    const before = await lib.invoke('stats.get', {});
    const job = await ingestAndWait(lib, [folder.root]);
    const result = job.result as { added: number; copies: number; rejected: number; unchanged: number; scanned: number; sidecars: number };
    expect(result.added).toBe(0);
    expect(result.copies).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.unchanged).toBe(result.scanned - result.sidecars);
    expect(job.total).toBe(0);
    expect(await lib.invoke('stats.get', {})).toEqual(before);
  });

  it('a sidecar added after ingest fills in what unchanged images lack, without image work or overwriting', async () => {
    const c1 = path.join(folder.root, 'misc', 'c1.tif');
    const b1 = path.join(folder.root, 'Boletus edulis', 'b1.webp');
    const b2 = path.join(folder.root, 'Boletus edulis', 'b2.jpeg');
    const detailOf = async (file: string) => lib.invoke('images.get', { id: (await lib.invoke('images.resolve', { ref: file })).id });
    expect((await detailOf(c1)).label).toBeNull();
    writeFileSync(
      path.join(folder.root, 'misc', 'added-later.csv'),
      'file,scientific_name,license,photographer,source_url\n' + 'c1.tif,Cantharellus cibarius,CC0,Bo Field,https://example.org/obs/9\n',
    );
    // An edited sidecar: b1 already has a licence and a label (kept); b2 gains a photographer and licence.
    writeFileSync(
      path.join(folder.root, 'Boletus edulis', 'labels.csv'),
      'file,scientific_name,license,photographer,source_url,observation_date\n' +
        'b1.webp,Boletus edulis,CC0,Someone Else,https://example.org/other,2024-09-01\n' +
        'b2.jpeg,,CC-BY-SA-4.0,Cy Walker,,\n',
    );
    expect(await lib.invoke('ingest.plan', { paths: [folder.root] })).toMatchObject({ toProcess: 0, claimsToUpdate: 2 });
    const job = await ingestAndWait(lib, [folder.root]);
    expect(job.result).toMatchObject({ added: 0, copies: 0, rejected: 0, claimsUpdated: 2 });
    expect(job.total).toBe(0);
    const c1Detail = await detailOf(c1);
    expect(c1Detail.label).toMatchObject({ taxon: 'Cantharellus cibarius', state: 'source_claimed' });
    expect([c1Detail.license, c1Detail.attribution, c1Detail.sourceUrl]).toEqual(['CC0-1.0', 'Bo Field', 'https://example.org/obs/9']);
    const b1Detail = await detailOf(b1);
    expect(b1Detail.label).toMatchObject({ taxon: 'Boletus reticulatus' });
    expect([b1Detail.license, b1Detail.attribution]).toEqual(['CC-BY-4.0', 'Ann Example, PhD']);
    const b2Detail = await detailOf(b2);
    expect([b2Detail.license, b2Detail.attribution]).toEqual(['CC-BY-SA-4.0', 'Cy Walker']);
    expect(b2Detail.label).toMatchObject({ taxon: 'Boletus edulis' });
    // Once applied, a further run has nothing left to learn.
    expect((await ingestAndWait(lib, [folder.root])).result).toMatchObject({ claimsUpdated: 0, added: 0 });
  });

  it('a touched file is re-hashed but, with the same bytes, causes no image work', async () => {
    const file = path.join(folder.root, 'Amanita muscaria', 'a2.png');
    const later = new Date(statSync(file).mtimeMs + 60_000);
    utimesSync(file, later, later);
    const job = await ingestAndWait(lib, [folder.root]);
    expect(job.result).toMatchObject({ added: 0, copies: 1, rejected: 0 });
  });
});
