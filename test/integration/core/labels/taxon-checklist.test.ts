// Taxon names for Edit taxon through the API: the catalogue's taxa plus imported checklists (one name per line or a
// Darwin Core taxon file), completion by prefix or epithet, re-import replacing a file's names, refusals in words.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let cleanup: () => Promise<void>;
let files: string;
let cleanupFiles: () => void;

beforeAll(async () => {
  const opened = openTempLibrary();
  ({ lib, cleanup } = opened);
  ({ dir: files, cleanup: cleanupFiles } = makeTempDir('sporeprint-checklist-'));
  // Two photos in taxon-named folders: their source claims are the catalogue's taxa.
  for (const [taxon, seed] of [
    ['Amanita muscaria', 61],
    ['Boletus edulis', 62],
  ] as const) {
    mkdirSync(path.join(files, 'photos', taxon), { recursive: true });
    writeFileSync(path.join(files, 'photos', taxon, `${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
  }
  await ingestAndWait(lib, [path.join(files, 'photos')]);
}, 120_000);

afterAll(async () => {
  await cleanup?.();
  cleanupFiles?.();
});

const names = async (query: string) => (await lib.invoke('taxa.complete', { query })).map((n) => `${n.name} (${n.source})`);

describe('taxon checklists', () => {
  it('completes from the catalogue alone before any checklist', async () => {
    expect(await names('am')).toEqual(['Amanita muscaria (catalogue)']);
    expect(await lib.invoke('taxa.checklists', {})).toEqual([]);
  });

  it('imports a list of names and completes them after the catalogue’s, by prefix or epithet', async () => {
    const list = path.join(files, 'regional.txt');
    writeFileSync(
      list,
      '# regional checklist\nAmanita pantherina (DC.) Krombh.\nAmanita muscaria (L.) Lam.\nBoletus reticulatus Schaeff.\nnot a name\n',
    );
    const imported = await lib.invoke('taxa.importChecklist', { path: list });
    expect(imported).toEqual({ file: list, format: 'list', names: 3, skipped: 1, skippedLines: [5] });
    expect(await names('aman')).toEqual(['Amanita muscaria (catalogue)', 'Amanita pantherina (checklist)']);
    // An epithet finds its binomial; names starting with the query come first.
    expect(await names('ret')).toEqual(['Boletus reticulatus (checklist)']);
    expect(await names('AMANITA P')).toEqual(['Amanita pantherina (checklist)']);
    // LIKE wildcards in the query are literal characters.
    expect(await names('%')).toEqual([]);
    const [summary] = await lib.invoke('taxa.checklists', {});
    expect(summary).toMatchObject({ file: list, names: 3 });
  });

  it('imports a Darwin Core taxon file; re-importing a file replaces its names', async () => {
    const dwc = path.join(files, 'taxon.txt');
    writeFileSync(dwc, 'taxonID\tscientificName\ttaxonRank\n1\tLactarius deliciosus (L.) Gray\tspecies\n2\tLactarius\tgenus\n');
    expect(await lib.invoke('taxa.importChecklist', { path: dwc })).toMatchObject({ format: 'darwin-core', names: 2, skipped: 0 });
    expect(await lib.invoke('taxa.complete', { query: 'lact' })).toEqual([
      { name: 'Lactarius', rank: 'genus', source: 'checklist' },
      { name: 'Lactarius deliciosus', rank: 'species', source: 'checklist' },
    ]);
    writeFileSync(dwc, 'taxonID\tscientificName\n1\tLactarius torminosus (Schaeff.) Pers.\n');
    await lib.invoke('taxa.importChecklist', { path: dwc });
    expect(await names('lact')).toEqual(['Lactarius torminosus (checklist)']);
    expect((await lib.invoke('taxa.checklists', {})).map((c) => [path.basename(c.file), c.names])).toEqual([
      ['regional.txt', 3],
      ['taxon.txt', 1],
    ]);
  });

  it('refuses a relative path, a folder, a zip archive and a file without names, naming the file', async () => {
    await expect(lib.invoke('taxa.importChecklist', { path: 'taxon.txt' })).rejects.toThrow(
      /taxon\.txt: the checklist must be a full path/,
    );
    await expect(lib.invoke('taxa.importChecklist', { path: files })).rejects.toThrow(new RegExp(`${files}.*(folder|directory)`));
    const zip = path.join(files, 'dwca.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    await expect(lib.invoke('taxa.importChecklist', { path: zip })).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringMatching(/dwca\.zip: is a zip archive.*unpack it/),
    });
    const empty = path.join(files, 'ids.csv');
    writeFileSync(empty, 'id,name\n1,2\n');
    await expect(lib.invoke('taxa.importChecklist', { path: empty })).rejects.toThrow(
      /ids\.csv: holds no taxon names: expected one scientific name per line/,
    );
    // Nothing of a refused file was stored.
    expect((await lib.invoke('taxa.checklists', {})).map((c) => path.basename(c.file))).toEqual(['regional.txt', 'taxon.txt']);
  });

  it('keeps a list under the name given, and imports a picked file by its name and bytes', async () => {
    const list = path.join(files, 'nl-2024.txt');
    writeFileSync(list, 'Russula emetica (Schaeff.) Pers.\n');
    expect(await lib.invoke('taxa.importChecklist', { path: list, name: 'Dutch checklist' })).toMatchObject({
      file: 'Dutch checklist',
      names: 1,
    });
    const upload = (fileName: string, text: string | Buffer) =>
      lib.invoke('taxa.uploadChecklist', { fileName, contentBase64: Buffer.from(text).toString('base64') });
    expect(await upload('picked.tsv', 'scientificName\ttaxonRank\nCortinarius rubellus Cooke\tspecies\n')).toEqual({
      file: 'picked.tsv',
      format: 'darwin-core',
      names: 1,
      skipped: 0,
      skippedLines: [],
    });
    expect(await names('cort')).toEqual(['Cortinarius rubellus (checklist)']);
    // Picking a file of the same name again replaces its names.
    await upload('picked.tsv', 'Cortinarius orellanus Fr.\n');
    expect(await names('cort')).toEqual(['Cortinarius orellanus (checklist)']);
    expect((await lib.invoke('taxa.checklists', {})).map((c) => c.file)).toEqual(expect.arrayContaining(['Dutch checklist', 'picked.tsv']));
  });

  it('refuses a picked file that is empty, binary, too large or named by a path, naming the file', async () => {
    const upload = (fileName: string, bytes: Buffer) =>
      lib.invoke('taxa.uploadChecklist', { fileName, contentBase64: bytes.toString('base64') });
    await expect(upload('empty.txt', Buffer.alloc(0))).rejects.toMatchObject({
      code: 'EMPTY_FILE',
      message: expect.stringMatching(/empty\.txt: is empty/),
    });
    await expect(upload('photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2]))).rejects.toThrow(/photo\.jpg: is not a text file/);
    await expect(upload('dwca.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0]))).rejects.toThrow(/dwca\.zip: is a zip archive/);
    const big = Buffer.alloc(32 * 1024 * 1024 + 3, 'a');
    await expect(upload('huge.txt', big)).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/huge\.txt: is 32\.0 MB, over the 32 MB limit/),
    });
    await expect(upload('../etc/passwd', Buffer.from('Amanita muscaria\n'))).rejects.toThrow(/a file name, not a path/);
    const kept = (await lib.invoke('taxa.checklists', {})).map((c) => c.file);
    expect(kept.filter((f) => ['empty.txt', 'photo.jpg', 'dwca.zip', 'huge.txt'].includes(f))).toEqual([]);
  });
});
