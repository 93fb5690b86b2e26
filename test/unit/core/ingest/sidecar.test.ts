// Sidecars and folder names as sources of taxon, licence and attribution claims.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv, readSidecar } from '../../../../src-main/core/ingest/sidecar';
import { rankOfScientificName, taxonFromFolderName } from '../../../../src-main/core/ingest/taxon-from-folder';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function file(name: string, text: string): string {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('taxonFromFolderName', () => {
  it.each([
    ['Amanita muscaria', 'Amanita muscaria', 'species'],
    ['Amanita_muscaria', 'Amanita muscaria', 'species'],
    ['Amanita muscaria var. guessowii', 'Amanita muscaria var. guessowii', 'variety'],
    ['Boletus edulis subsp. aereus', 'Boletus edulis subsp. aereus', 'subspecies'],
  ])('%s is a taxon', (name, taxon, rank) => expect(taxonFromFolderName(name)).toEqual({ taxon, rank }));

  it.each(['Photos', 'Fungi', '2024 trip', 'IMG 2024', 'amanita muscaria', 'Amanita Muscaria', 'New folder (2)', 'Downloads'])(
    '%s is not a taxon',
    (name) => expect(taxonFromFolderName(name)).toBeNull(),
  );

  it('derives the rank of bare scientific names', () => {
    expect(rankOfScientificName('Russula')).toBe('genus');
    expect(rankOfScientificName('Russula emetica')).toBe('species');
    expect(rankOfScientificName('Amanita muscaria var. alba')).toBe('variety');
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas in fields and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });
});

describe('readSidecar', () => {
  it('reads a CSV with file, taxon, licence URL and photographer', async () => {
    const sidecar = await readSidecar(
      file(
        'labels.csv',
        'file,scientific_name,license,photographer,source_url,observation_id\nx.jpg,Russula emetica,CC BY-SA 4.0,A. Person,https://e.org/1,obs-7\n',
      ),
    );
    expect(sidecar?.byFile.get('x.jpg')).toEqual({
      scientificName: 'Russula emetica',
      license: 'CC-BY-SA-4.0',
      attribution: 'A. Person',
      sourceUrl: 'https://e.org/1',
      observationDate: null,
      observationGroup: 'obs-7',
    });
  });

  it('reads a JSON folder record whose images are named by sha256 (Mushroom Observer style)', async () => {
    const sha = 'a'.repeat(64);
    const sidecar = await readSidecar(
      file(
        'metadata.json',
        JSON.stringify({
          scientific_name: 'Agaricus arvensis',
          images: [{ sha256: sha, photographer: 'N. W.', license_url: 'http://creativecommons.org/licenses/by-sa/3.0/' }],
        }),
      ),
    );
    expect(sidecar?.folder?.scientificName).toBe('Agaricus arvensis');
    expect(sidecar?.bySha256.get(sha)).toMatchObject({
      scientificName: 'Agaricus arvensis',
      license: 'CC-BY-SA-3.0',
      attribution: 'N. W.',
    });
  });

  it('returns null for JSON and CSV files that are not sidecars', async () => {
    expect(await readSidecar(file('package.json', '{"name":"x"}'))).toBeNull();
    expect(await readSidecar(file('data.csv', 'a,b\n1,2\n'))).toBeNull();
  });

  it('names the file and the reason when a sidecar is malformed', async () => {
    const p = file('broken.json', '{"scientific_name": ');
    await expect(readSidecar(p)).rejects.toThrow(new RegExp(`${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: sidecar is not valid JSON`));
    const csv = file('bad.csv', 'file,scientific_name\nx.jpg,Russula,extra,cells\n');
    await expect(readSidecar(csv)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: csv });
  });
});
