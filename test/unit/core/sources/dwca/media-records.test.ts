// Reading a Darwin Core Archive: meta.xml layouts, the occurrence core, both media extensions, zip or folder.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../../../../src-main/core/sources/dwca/archive-files';
import { parseDelimited } from '../../../../../src-main/core/sources/dwca/delimited-text';
import { readMediaRecords } from '../../../../../src-main/core/sources/dwca/media-records';
import { parseMetaXml } from '../../../../../src-main/core/sources/dwca/meta-xml';
import { writeDwcaFolder, writeDwcaZip, type DwcaFixture } from '../../../../fixtures/dwca-archive';
import { makeTempDir } from '../../../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-dwca-unit-');
afterAll(() => tmp.cleanup());

const fixture: DwcaFixture = {
  occurrences: [
    {
      id: 'occ-1',
      scientificName: 'Amanita muscaria (L.) Lam.',
      taxonRank: 'species',
      license: 'http://creativecommons.org/licenses/by/4.0/legalcode',
      rightsHolder: 'Fungarium X',
      references: 'https://example.org/occ/1',
    },
    { id: 'occ-2', scientificName: 'Boletus', taxonRank: 'genus', license: 'CC0' },
    { id: 'occ-3', scientificName: 'Cantharellus cibarius Fr.' },
  ],
  multimedia: [
    { coreId: 'occ-1', reference: 'media/a1.jpg', creator: 'Ann, "the" photographer' },
    { coreId: 'occ-1', reference: 'media/a2.jpg', license: 'CC BY-SA 4.0' },
    { coreId: 'occ-2', reference: 'https://media.example.org/b1.jpg' },
    { coreId: 'occ-2', reference: 'https://media.example.org/sound.mp3', format: 'audio/mpeg' },
  ],
  audubon: [
    { coreId: 'occ-3', reference: 'media/c1.jpg', license: 'http://creativecommons.org/publicdomain/zero/1.0/', creator: 'Carl' },
    // Named by both extensions: one record, not two.
    { coreId: 'occ-1', reference: 'media/a1.jpg' },
  ],
  files: { 'media/a1.jpg': Buffer.from('a1'), 'media/a2.jpg': Buffer.from('a2'), 'media/c1.jpg': Buffer.from('c1') },
};

describe('parseMetaXml', () => {
  it('reads core and extension layouts with escaped separators and defaults', () => {
    const folder = writeDwcaFolder(path.join(tmp.dir, 'meta'), fixture);
    const meta = parseMetaXml(readFileSync(path.join(folder, 'meta.xml'), 'utf8'), folder);
    expect(meta.core).toMatchObject({
      location: 'occurrence.txt',
      fieldsTerminatedBy: '\t',
      fieldsEnclosedBy: '',
      ignoreHeaderLines: 1,
      idIndex: 0,
    });
    expect(meta.core.fields.find((f) => f.term.endsWith('basisOfRecord'))).toMatchObject({ index: null, defaultValue: 'HumanObservation' });
    expect(meta.extensions.map((e) => [e.rowType, e.fieldsTerminatedBy, e.fieldsEnclosedBy])).toEqual([
      ['http://rs.gbif.org/terms/1.0/Multimedia', ',', '"'],
      ['http://rs.tdwg.org/ac/terms/Multimedia', '\t', ''],
    ]);
  });

  it('refuses a descriptor without a core, naming the archive', () => {
    expect(() => parseMetaXml('<archive></archive>', '/x/a.zip')).toThrow(/\/x\/a.zip: meta.xml has no <archive><core>/);
  });
});

describe('parseDelimited', () => {
  it('handles quotes, doubled quotes, embedded separators and CRLF', () => {
    const rows = parseDelimited('h1,h2\r\n"a, b","say ""hi"""\r\nc,\r\n', {
      fieldsTerminatedBy: ',',
      linesTerminatedBy: '\n',
      fieldsEnclosedBy: '"',
      ignoreHeaderLines: 1,
    });
    expect(rows).toEqual([
      ['a, b', 'say "hi"'],
      ['c', ''],
    ]);
  });
});

describe('readMediaRecords', () => {
  for (const kind of ['folder', 'zip'] as const) {
    it(`joins the core with both media extensions (${kind})`, async () => {
      const origin =
        kind === 'folder' ? writeDwcaFolder(path.join(tmp.dir, 'folder'), fixture) : writeDwcaZip(path.join(tmp.dir, 'a.zip'), fixture);
      const archive = await openArchive(origin);
      const { occurrences, records } = await readMediaRecords(archive);
      expect(occurrences).toBe(3);
      expect(records.map((r) => [r.reference, r.via])).toEqual([
        ['media/a1.jpg', 'multimedia'],
        ['media/a2.jpg', 'multimedia'],
        ['https://media.example.org/b1.jpg', 'multimedia'],
        ['media/c1.jpg', 'audubon'],
      ]);
      const [a1, a2, b1, c1] = records;
      expect(a1).toMatchObject({
        occurrenceId: 'occ-1',
        taxon: 'Amanita muscaria',
        rank: 'species',
        // The occurrence's licence covers its data, not its media: no own licence, licence unknown (issue 15).
        license: 'UNKNOWN',
        attribution: 'Ann, "the" photographer',
        pageUrl: 'https://example.org/occ/1',
      });
      expect(a2).toMatchObject({ license: 'CC-BY-SA-4.0', attribution: 'Fungarium X' });
      expect(b1).toMatchObject({ taxon: 'Boletus', rank: 'genus', license: 'UNKNOWN', attribution: null });
      expect(c1).toMatchObject({ taxon: 'Cantharellus cibarius', rank: 'species', license: 'CC0-1.0', attribution: 'Carl' });
      expect((await archive.read('media/a1.jpg'))?.toString()).toBe('a1');
    });
  }

  it('says which file is missing', async () => {
    const dir = writeDwcaFolder(path.join(tmp.dir, 'broken'), fixture);
    rmSync(path.join(dir, 'audubon.txt'));
    await expect(readMediaRecords(await openArchive(dir))).rejects.toThrow(
      /meta.xml names audubon.txt, which the archive does not contain/,
    );
  });
});
