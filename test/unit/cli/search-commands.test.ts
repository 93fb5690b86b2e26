// The model, embed, search and suggest commands as a user runs them, with the tiny CLIP model folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../src-shared/model';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';
import { writeTinyClipModel } from '../../fixtures/tiny-clip-model';
import { captureCli } from '../../fixtures/capture-cli';

let root: string;
let library: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ dir: root, cleanup } = makeTempDir('sporeprint-cli-search-'));
  library = path.join(root, 'lib');
  for (const [taxon, seeds] of [
    ['Russula emetica', [401, 402, 403]],
    ['Fomes fomentarius', [404, 405, 406]],
  ] as const) {
    mkdirSync(path.join(root, 'photos', taxon), { recursive: true });
    for (const s of seeds) writeFileSync(path.join(root, 'photos', taxon, `p${s}.jpg`), await makePhoto(s, { width: 400, height: 300 }));
  }
  writeTinyClipModel(path.join(root, 'tiny'), { seed: 5, dim: 20 });
});
afterAll(() => cleanup());

const cli = (...argv: string[]) => captureCli(['--library', library, ...argv]);

describe('search commands', () => {
  it('searches by image with no model, and says which command installs one for text', async () => {
    expect((await cli('ingest', path.join(root, 'photos'), '--json')).code).toBe(0);
    const file = path.join(root, 'photos', 'Fomes fomentarius', 'p405.jpg');
    const byImage = await cli('search', '--image', file, '--limit', '2', '--json');
    expect(byImage.code).toBe(0);
    const hits = JSON.parse(byImage.out.join('\n')) as SearchHit[];
    expect(hits[0]).toMatchObject({ paths: [file], taxon: 'Fomes fomentarius', labelState: 'source_claimed' });
    const text = await cli('search', '--text', 'red cap');
    expect(text.code).not.toBe(0);
    expect(text.err.join('\n')).toMatch(/MODEL_MISSING.*sporeprint model install Xenova\/clip-vit-base-patch32/);
    const embed = await cli('embed');
    expect(embed.out.join('\n')).toMatch(/no CLIP model is active.*sporeprint model install/);
    expect((await cli('search')).err.join('')).toMatch(/exactly one of --text/);
  });

  it('imports, lists, uses (with backfill) and searches by text with filters', async () => {
    const imported = await cli('model', 'import', path.join(root, 'tiny'), '--id', 'lab/tiny');
    expect(imported.out.join('')).toMatch(/imported lab\/tiny \(20-d\) into models\/lab\/tiny/);
    const used = await cli('model', 'use', 'lab/tiny', '--json');
    expect(used.code).toBe(0);
    expect(JSON.parse(used.out.at(-1)!)).toMatchObject({
      id: 'lab/tiny',
      active: true,
      backfill: { status: 'completed', models: { 'lab/tiny': { embedded: 6 } } },
    });
    const list = await cli('model', 'list');
    expect(list.out.find((l) => l.includes('lab/tiny'))).toMatch(/^\* lab\/tiny .* 20-d\s+active\s+6 vectors/);
    expect(list.out.find((l) => l.includes('Xenova/clip-vit-base-patch32'))).toMatch(/not installed/);
    const text = await cli('search', '--text', 'red cap', '--taxon', 'Russula emetica', '--label-state', 'source_claimed');
    expect(text.code).toBe(0);
    expect(text.out.filter((l) => /^\s+\d+\. /.test(l))).toHaveLength(3);
    expect(text.out.filter((l) => /Russula emetica \[source_claimed\]/.test(l))).toHaveLength(3);
    // Thumbnail paths are absolute, inside the library, so they open from anywhere.
    const thumbs = text.out.filter((l) => /^\s+thumb /.test(l)).map((l) => l.trim().slice('thumb '.length));
    expect(thumbs).toHaveLength(3);
    for (const thumb of thumbs)
      expect(existsSync(thumb) && path.isAbsolute(thumb) && thumb.includes(`${path.sep}derivatives${path.sep}`)).toBe(true);
    expect((await cli('search', '--text', 'x', '--label-state', 'nope')).err.join('')).toMatch(/--label-state must be one of/);
    // --hq keeps HQ photos only: these 400 px ones are not, so nothing is left (without it, all six match).
    expect((await cli('search', '--text', 'red cap', '--hq')).out).toEqual(['no matching images']);
    expect((await cli('search', '--text', 'red cap')).out.filter((l) => /^\s+\d+\. /.test(l))).toHaveLength(6);
  });

  it('suggests taxa and removes a model', async () => {
    const suggest = await cli('suggest', '--top', '2', '--json');
    expect(suggest.code).toBe(0);
    expect(JSON.parse(suggest.out.at(-1)!)).toMatchObject({ status: 'completed', modelId: 'lab/tiny', taxa: 2, suggested: 6 });
    expect((await cli('model', 'remove', 'lab/tiny')).out.join('')).toMatch(/removed lab\/tiny/);
    expect((await cli('model', 'frob')).err.join('')).toMatch(/unknown model action "frob"/);
  });
});
