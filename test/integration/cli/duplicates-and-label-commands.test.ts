// `duplicates --json` has exactly the specified shape; `label` and `history` work by path and by id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Library } from '../../../src-main/core/library';
import { recordSourceClaim } from '../../../src-main/core/labels/record-source-claim';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeVariant } from '../../fixtures/variants';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

let photos: { dir: string; cleanup: () => void };
let libDir: { dir: string; cleanup: () => void };

const cli = (...args: string[]) => captureCliText(['--library', libDir.dir, ...args]);

beforeAll(async () => {
  photos = makeTempDir('sporeprint-cli-dups-');
  libDir = makeTempDir('sporeprint-cli-lib-');
  const a = await makePhoto(31, { width: 800, height: 600 });
  writeFileSync(path.join(photos.dir, 'a.jpg'), a);
  writeFileSync(path.join(photos.dir, 'a-small.jpg'), await makeVariant(a, 'resize'));
  writeFileSync(path.join(photos.dir, 'b.jpg'), await makePhoto(32, { width: 800, height: 600 }));
  expect((await cli('ingest', photos.dir)).code).toBe(0);
  const lib = Library.open(libDir.dir, { env: {} });
  const id = (await lib.invoke('images.resolve', { ref: path.join(photos.dir, 'b.jpg') })).id;
  recordSourceClaim(lib.db, id, { taxon: 'Russula emetica', rank: 'species', evidence: { source: 'folder' } });
  await lib.close();
}, 120_000);

afterAll(() => {
  photos?.cleanup();
  libDir?.cleanup();
});

describe('sporeprint duplicates --json', () => {
  it('prints one object listing every cluster with its members, paths, distance and quality', async () => {
    const { code, out } = await cli('duplicates', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { clusters: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['clusters']);
    expect(parsed.clusters).toHaveLength(1);
    const cluster = parsed.clusters[0]!;
    expect(Object.keys(cluster)).toEqual(['id', 'representative', 'members']);
    const members = cluster.members as Record<string, unknown>[];
    expect(members).toHaveLength(2);
    for (const m of members) {
      expect(Object.keys(m)).toEqual(['image_id', 'paths', 'distance', 'quality']);
      expect(typeof m.distance).toBe('number');
    }
    expect(members.flatMap((m) => m.paths as string[]).sort()).toEqual(
      [path.join(photos.dir, 'a-small.jpg'), path.join(photos.dir, 'a.jpg')].sort(),
    );
    expect(members.some((m) => m.image_id === cluster.representative && m.distance === 0)).toBe(true);
  });

  it('re-clusters at another threshold and refuses a bad one', async () => {
    expect((await cli('duplicates', '--threshold', '0', '--json')).code).toBe(0);
    expect((await cli('duplicates', '--threshold', 'x')).code).toBe(2);
    const text = await cli('duplicates', '--threshold', '10');
    expect(text.out).toMatch(/1 clusters at threshold 10/);
    expect(text.out).toMatch(/representative/);
  });
});

describe('threshold persistence', () => {
  it('keeps the last chosen threshold until the DUPLICATE_THRESHOLD setting itself changes', async () => {
    expect((await cli('duplicates', '--threshold', '6')).code).toBe(0);
    const threshold = async (env: NodeJS.ProcessEnv) => {
      const lib = Library.open(libDir.dir, { env });
      try {
        return (await lib.invoke('duplicates.clusters', {})).threshold;
      } finally {
        await lib.close();
      }
    };
    expect(await threshold({})).toBe(6);
    expect(await threshold({ DUPLICATE_THRESHOLD: '4' })).toBe(4);
    expect(await threshold({ DUPLICATE_THRESHOLD: '4' })).toBe(4);
    // Reading at the changed setting was a preview that saved nothing: back at the old setting, 6 is still in force.
    expect(await threshold({})).toBe(6);
  });

  it('previews with --preview without saving the threshold', async () => {
    const preview = await cli('duplicates', '--threshold', '0', '--preview');
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(/at threshold 0 \(preview: nothing saved\)/);
    expect((await cli('duplicates')).out).toMatch(/at threshold 6$/m);
  });
});

describe('sporeprint duplicates decide', () => {
  it('records each decision by path and says where the image stands', async () => {
    const a = path.join(photos.dir, 'a.jpg');
    const small = path.join(photos.dir, 'a-small.jpg');
    expect((await cli('duplicates', '--threshold', '10')).code).toBe(0);
    const rep = await cli('duplicates', 'decide', small, 'representative');
    expect(rep.code).toBe(0);
    expect(rep.out).toMatch(/representative: saved; cluster \d+ now has 2 images, representative #\d+/);
    const json = JSON.parse((await cli('duplicates', 'decide', small, 'keep', '--json')).out) as { cluster: { representative: number } };
    const lib = Library.open(libDir.dir, { env: {}, access: 'read' });
    const smallId = (await lib.invoke('images.resolve', { ref: small })).id;
    await lib.close();
    expect(json.cluster.representative).toBe(smallId);
    const apart = await cli('duplicates', 'decide', a, 'not-duplicate', '--of', small);
    expect(apart.out).toMatch(/not-duplicate of #\d+: saved; it is in no cluster now/);
    expect((await cli('duplicates', 'decide', a, 'merge', '--of', small)).out).toMatch(/now has 2 images/);
    expect((await cli('duplicates', 'decide', a, 'done')).out).toMatch(/resolved/);
  });

  it('refuses a bad decision with the usage and exit 2', async () => {
    const a = path.join(photos.dir, 'a.jpg');
    const missingOf = await cli('duplicates', 'decide', a, 'merge');
    expect(missingOf.code).toBe(2);
    expect(missingOf.err).toMatch(/merge needs --of <image>/);
    const unknown = await cli('duplicates', 'decide', a, 'forget');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown decision "forget"[\s\S]*usage: sporeprint duplicates decide/);
    expect((await cli('duplicates', 'decide')).code).toBe(2);
  });
});

describe('sporeprint label / history', () => {
  it('verifies at a coarser rank by path, then shows the audit trail and undoes it', async () => {
    const file = path.join(photos.dir, 'b.jpg');
    const set = await cli('label', file, '--state', 'human_verified', '--rank', 'genus', '--note', 'species unverifiable');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/Russula \(genus\) human_verified/);
    const history = await cli('history', file, '--json');
    const events = JSON.parse(history.out) as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(['claim', 'verify']);
    expect((await cli('label', file, '--undo')).out).toMatch(/Russula emetica \(species\) source_claimed/);
    // Three label events, then the licence as it is now (this photo never had a licence change).
    const lines = (await cli('history', file)).out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^licence now: /);
  });

  it('explains invalid states and transitions', async () => {
    const file = path.join(photos.dir, 'b.jpg');
    const bad = await cli('label', file, '--state', 'model_suggested');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/set by sources and models/);
    const unlabelled = await cli('label', path.join(photos.dir, 'a.jpg'), '--state', 'disputed');
    expect(unlabelled.code).toBe(1);
    expect(unlabelled.err).toMatch(/INVALID_TRANSITION/);
  });
});
