// Sidecars and folder names as sources of taxon, licence and attribution claims.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CsvParser, parseCsv, readSidecar } from '../../../../src-main/core/ingest/sidecar';
import { SourceClaims } from '../../../../src-main/core/ingest/source-claims';
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

describe('bounded sidecars (issue 13 part 4)', () => {
  it('refuses a sidecar over the size cap by its size, without parsing it', async () => {
    const big = file('labels.csv', `file,scientific_name\n${'x.jpg,Russula emetica\n'.repeat(2000)}`);
    await expect(readSidecar(big, 1024)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', path: big });
    const json = file('labels.json', JSON.stringify({ scientific_name: 'Russula emetica', pad: 'x'.repeat(5000) }));
    await expect(readSidecar(json, 1024)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await readSidecar(json)).not.toBeNull();
  });

  it('parses a CSV streamed in chunks exactly as a whole text, quotes and CRLF split across chunks', () => {
    const text = 'file,note\r\n"a,1.jpg","say ""hi""\nthere"\r\nb.jpg,plain\r\n"c.jpg",""\n';
    for (const size of [1, 2, 3, 7]) {
      const parser = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...parser.feed(text.slice(i, i + size)));
      rows.push(...parser.feed('', true));
      expect(rows).toEqual(parseCsv(text));
    }
    expect(parseCsv(text)).toEqual([
      ['file', 'note'],
      ['a,1.jpg', 'say "hi"\nthere'],
      ['b.jpg', 'plain'],
      ['c.jpg', ''],
    ]);
  });

  it('reads a large CSV that is not a sidecar no further than its header', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const big = path.join(dir, 'data.csv');
    writeFileSync(big, `date,reading\n${'2024-01-01,3\n'.repeat(200_000)}`);
    const feed = vi.spyOn(CsvParser.prototype, 'feed');
    try {
      expect(await readSidecar(big)).toBeNull();
      const charsParsed = feed.mock.calls.reduce((sum, [text]) => sum + text.length, 0);
      // One stream chunk (64 KiB) at most of the 2.6 MB file.
      expect(charsParsed).toBeLessThanOrEqual(64 * 1024);
    } finally {
      feed.mockRestore();
    }
  });

  it('reports an unreadable or special sidecar as a skip or a rejection, never failing the scan', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const fifo = path.join(dir, 'labels.csv');
    execFileSync('mkfifo', [fifo]);
    const gone = path.join(dir, 'gone.json');
    const claims = await SourceClaims.load([
      { path: fifo, size: 0, mtimeMs: 0 },
      { path: gone, size: 10, mtimeMs: 0 },
    ]);
    expect(claims.invalid.map((i) => [i.path, i.error.code])).toEqual([[fifo, 'INVALID_INPUT']]);
    expect(claims.unreadable).toEqual([{ path: gone, reason: expect.stringMatching(/sidecar cannot be read/) }]);
  });
});
