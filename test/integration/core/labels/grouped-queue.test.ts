// The verify queue: one card per duplicate cluster (its copies listed with it), an observation's photos together,
// and verified neighbours that never show the same picture again.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Library } from '../../../../src-main/core/library';
import { recordSourceClaim } from '../../../../src-main/core/labels/record-source-claim';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, openTempLibrary } from '../../../fixtures/temp-library';
import { makeVariant } from '../../../fixtures/variants';

let lib: Library;
let cleanup: () => Promise<void>;
const idOf = new Map<string, number>();

beforeAll(async () => {
  const opened = openTempLibrary();
  ({ lib, cleanup } = opened);
  const photos = path.join(opened.dir, '..', `${path.basename(opened.dir)}-photos`);
  mkdirSync(photos, { recursive: true });
  const original = await makePhoto(71, { width: 640, height: 480 });
  writeFileSync(path.join(photos, 'original.jpg'), original);
  writeFileSync(path.join(photos, 'copy.jpg'), await makeVariant(original, 'resize'));
  for (const seed of [72, 73, 74]) writeFileSync(path.join(photos, `p${seed}.jpg`), await makePhoto(seed, { width: 640, height: 480 }));
  await ingestAndWait(lib, [photos]);
  for (const name of ['original.jpg', 'copy.jpg', 'p72.jpg', 'p73.jpg', 'p74.jpg'])
    idOf.set(name, (await lib.invoke('images.resolve', { ref: path.join(photos, name) })).id);
  for (const id of idOf.values()) recordSourceClaim(lib.db, id, { taxon: 'Boletus edulis', rank: 'species', evidence: { source: 'test' } });
  // p72 and p74 are two photos of one observation; p73 another.
  const group = lib.db.prepare(`UPDATE image SET observation_group = ? WHERE id = ?`);
  group.run('obs-a', idOf.get('p72.jpg'));
  group.run('obs-a', idOf.get('p74.jpg'));
  group.run('obs-b', idOf.get('p73.jpg'));
}, 120_000);

afterAll(async () => cleanup?.());

describe('labels.queue grouping', () => {
  it('shows one card per duplicate cluster with its copies, and an observation’s photos next to each other', async () => {
    const page = await lib.invoke('labels.queue', {});
    const ids = page.items.map((i) => i.id);
    const cluster = (await lib.invoke('duplicates.clusters', { containing: idOf.get('original.jpg')! })).clusters[0]!;
    const copy = cluster.members.find((m) => m.imageId !== cluster.representative)!.imageId;
    expect(ids).toContain(cluster.representative);
    expect(ids).not.toContain(copy);
    expect(page.total).toBe(4);
    expect(page.copies[String(cluster.representative)]).toEqual([copy]);
    const a = [ids.indexOf(idOf.get('p72.jpg')!), ids.indexOf(idOf.get('p74.jpg')!)].sort();
    expect(a[1]! - a[0]!).toBe(1);
  });

  it('leaves the copies out of the verified neighbours of their own picture', async () => {
    const cluster = (await lib.invoke('duplicates.clusters', { containing: idOf.get('original.jpg')! })).clusters[0]!;
    const all = cluster.members.map((m) => m.imageId);
    await lib.invoke('labels.apply', { imageIds: [...all, idOf.get('p73.jpg')!], state: 'human_verified' });
    const neighbours = await lib.invoke('labels.neighbours', {
      taxon: 'Boletus edulis',
      excludeImageId: cluster.representative,
      limit: 10,
    });
    expect(neighbours.map((n) => n.id)).toEqual([idOf.get('p73.jpg')]);
  });
});
