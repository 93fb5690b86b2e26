// `sporeprint fetch-hq` argument handling and output, against loopback sources (dry run: nothing downloaded).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../src-main/cli/main';
import { startFakeSources, type FakeSources } from '../../../fixtures/fake-sources';
import { makeTempDir } from '../../../fixtures/temp-library';

let fake: FakeSources;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  const bytes = Buffer.from('not fetched in a dry run');
  fake = await startFakeSources({
    inat: [
      {
        id: 1,
        taxon: 'Amanita muscaria',
        photos: [
          { id: 11, bytes, width: 2000, height: 1500, license: 'cc-by' },
          { id: 12, bytes, width: 2000, height: 1500, license: 'cc-by-nc' },
        ],
      },
    ],
    gbif: [],
    commons: [{ name: 'A.jpg', taxon: 'Amanita muscaria', bytes, width: 3000, height: 2000, license: 'CC BY-SA 4.0', artistHtml: 'Cleo' }],
  });
  // The CLI opens its library with the process environment.
  Object.assign(process.env, fake.env);
  tmp = makeTempDir('sporeprint-cli-fetch-');
});
afterAll(async () => {
  await fake.server.close();
  tmp.cleanup();
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--library', path.join(tmp.dir, 'lib'), ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    interactive: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sporeprint fetch-hq', () => {
  it('lists what a dry run would fetch, largest first, licences filtered', async () => {
    const taxa = path.join(tmp.dir, 'taxa.csv');
    writeFileSync(taxa, 'taxon,note\n# comment\nAmanita muscaria,wanted\n');
    const r = await cli('fetch-hq', '--taxa', taxa, '--dry-run', '--sources', 'inat,commons', '--licenses', 'CC-BY,CC-BY-SA');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // The CSV header and the comment are not taxa.
    expect(lines[0]).toBe('dry run: nothing was downloaded; 2 photos would be fetched for 1 taxon');
    expect(lines[1]).toMatch(/^ {2}Amanita muscaria\tcommons\t3000x2000\tCC-BY-SA-4.0\thttp:\/\/127\.0\.0\.1:\d+\/commons-files\/A\.jpg$/);
    expect(lines[2]).toMatch(/^ {2}Amanita muscaria\tinat\t2000x1500\tCC-BY\t.*\/inat-photos\/11\/original\.jpg$/);
    expect(fake.server.requests.filter((q) => /inat-photos|commons-files/.test(q.path))).toEqual([]);
  });

  it('explains what is missing or wrong', async () => {
    // Bad arguments exit 2; a list file that cannot be read is a failure (1).
    expect(await cli('fetch-hq')).toMatchObject({ code: 2, err: expect.stringMatching(/needs --taxa FILE or --missing-hq/) });
    expect(await cli('fetch-hq', '--missing-hq', '--sources', 'flickr')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown source "flickr"/),
    });
    expect(await cli('fetch-hq', '--taxa', path.join(tmp.dir, 'none.txt'))).toMatchObject({
      code: 1,
      err: expect.stringMatching(/none\.txt: cannot read the taxa list/),
    });
  });
});
