// Label verification through the API: transitions, coarser-rank verification, audit, exact undo, lists.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Library } from '../../../../src-main/core/library';
import { readLabelRow } from '../../../../src-main/core/labels/label-repository';
import { recordSourceClaim } from '../../../../src-main/core/labels/record-source-claim';
import { recordSuggestions } from '../../../../src-main/core/labels/record-suggestions';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../../fixtures/temp-library';

let lib: Library;
let ids: number[];
let cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  const photos = makeTempDir('sporeprint-labels-');
  for (const seed of [1, 2, 3, 4])
    writeFileSync(path.join(photos.dir, `p${seed}.jpg`), await makePhoto(seed * 97, { width: 400, height: 300, format: 'jpeg' }));
  const opened = openTempLibrary();
  lib = opened.lib;
  cleanups = [opened.cleanup, photos.cleanup];
  await ingestAndWait(lib, [photos.dir]);
  ids = [];
  for (const seed of [1, 2, 3, 4]) ids.push((await lib.invoke('images.resolve', { ref: path.join(photos.dir, `p${seed}.jpg`) })).id);
  recordSourceClaim(lib.db, ids[0]!, { taxon: 'Amanita muscaria', rank: 'species', evidence: { source: 'folder' } });
  recordSourceClaim(lib.db, ids[1]!, { taxon: 'Amanita muscaria', rank: 'species', evidence: { source: 'sidecar' } });
  recordSuggestions(lib.db, ids[2]!, 'clip-test', [{ taxon: 'Russula emetica', score: 0.8 }]);
}, 60_000);

afterEach(async () => {
  for (const c of cleanups) await c();
});

describe('labels.set transitions', () => {
  it('verifies a source claim and records the change with the previous row', async () => {
    const [label] = await lib.invoke('labels.set', { imageIds: [ids[0]!], state: 'human_verified', author: 'ann', note: 'clear gills' });
    expect(label).toMatchObject({
      taxon: 'Amanita muscaria',
      rank: 'species',
      state: 'human_verified',
      author: 'ann',
      note: 'clear gills',
    });
    expect(label!.evidence).toEqual({ source: 'folder' });
    const history = await lib.invoke('labels.history', { imageId: ids[0]! });
    expect(history.map((e) => e.action)).toEqual(['claim', 'verify']);
    expect(history[1]).toMatchObject({ fromState: 'source_claimed', toState: 'human_verified', author: 'ann' });
  });

  it('verifies at a coarser rank without it being a dispute', async () => {
    const [label] = await lib.invoke('labels.set', {
      imageIds: [ids[0]!],
      state: 'human_verified',
      rank: 'genus',
      note: 'species unverifiable',
    });
    expect(label).toMatchObject({ taxon: 'Amanita', rank: 'genus', state: 'human_verified' });
    expect(label!.evidence).toEqual({ source: 'folder', claimedTaxon: 'Amanita muscaria' });
  });

  it('settles a dispute with a new taxon, and refuses transitions the workflow does not have', async () => {
    await lib.invoke('labels.set', { imageIds: [ids[2]!], state: 'disputed', note: 'looks like a Lactarius' });
    await expect(lib.invoke('labels.set', { imageIds: [ids[2]!], state: 'disputed' })).rejects.toThrow(
      /cannot go from disputed to disputed/,
    );
    const [label] = await lib.invoke('labels.set', { imageIds: [ids[2]!], state: 'human_verified', taxon: 'Lactarius deliciosus' });
    expect(label).toMatchObject({ taxon: 'Lactarius deliciosus', rank: 'species', state: 'human_verified' });
    expect(label!.evidence).toMatchObject({ modelId: 'clip-test', claimedTaxon: 'Russula emetica' });
    await expect(lib.invoke('labels.set', { imageIds: [ids[2]!], state: 'disputed' })).rejects.toThrow(/undo the verification first/);
    await expect(lib.invoke('labels.set', { imageIds: [ids[3]!], state: 'human_verified' })).rejects.toThrow(/no label yet/);
    const [fresh] = await lib.invoke('labels.set', { imageIds: [ids[3]!], state: 'human_verified', taxon: 'Boletus' });
    expect(fresh).toMatchObject({ taxon: 'Boletus', rank: 'genus' });
  });

  it('applies a batch all or nothing', async () => {
    await lib.invoke('labels.set', { imageIds: [ids[1]!], state: 'human_verified' });
    const before = readLabelRow(lib.db, ids[0]!);
    await expect(lib.invoke('labels.set', { imageIds: [ids[0]!, ids[1]!], state: 'disputed' })).rejects.toThrow(
      /INVALID_TRANSITION|cannot go/,
    );
    expect(readLabelRow(lib.db, ids[0]!)).toEqual(before);
  });

  it('never lets a model overwrite a human decision', async () => {
    await lib.invoke('labels.set', { imageIds: [ids[2]!], state: 'human_verified', taxon: 'Russula emetica' });
    recordSuggestions(lib.db, ids[2]!, 'clip-test', [{ taxon: 'Amanita muscaria', score: 0.99 }]);
    expect(readLabelRow(lib.db, ids[2]!)).toMatchObject({ taxon: 'Russula emetica', state: 'human_verified' });
  });
});

describe('labels.undo', () => {
  it('restores the exact previous row, walking back one change per undo', async () => {
    const claimed = readLabelRow(lib.db, ids[0]!);
    await lib.invoke('labels.set', { imageIds: [ids[0]!], state: 'disputed' });
    const disputed = readLabelRow(lib.db, ids[0]!);
    await lib.invoke('labels.set', { imageIds: [ids[0]!], state: 'human_verified', taxon: 'Amanita pantherina' });
    expect(await lib.invoke('labels.undo', { imageId: ids[0]! })).toMatchObject({ state: 'disputed' });
    expect(readLabelRow(lib.db, ids[0]!)).toEqual(disputed);
    await lib.invoke('labels.undo', { imageId: ids[0]! });
    expect(readLabelRow(lib.db, ids[0]!)).toEqual(claimed);
    // The source claim is evidence (issue 15): undo stops there instead of leaving the image unlabelled.
    await expect(lib.invoke('labels.undo', { imageId: ids[0]! })).rejects.toThrow(/back at its source claim/);
    expect(readLabelRow(lib.db, ids[0]!)).toEqual(claimed);
    const actions = (await lib.invoke('labels.history', { imageId: ids[0]! })).map((e) => e.action);
    expect(actions).toEqual(['claim', 'dispute', 'verify', 'undo', 'undo']);
  });
});

describe('verification lists', () => {
  it('queues unverified labels by state and taxon, lists verified neighbours and taxa', async () => {
    await lib.invoke('labels.set', { imageIds: [ids[1]!], state: 'human_verified' });
    const queue = await lib.invoke('labels.queue', {});
    expect(queue.items.map((i) => i.id).sort()).toEqual([ids[0]!, ids[2]!].sort());
    expect(queue.total).toBe(2);
    const claimedOnly = await lib.invoke('labels.queue', { states: ['source_claimed'], taxon: 'Amanita muscaria' });
    expect(claimedOnly.items.map((i) => i.id)).toEqual([ids[0]!]);
    const neighbours = await lib.invoke('labels.neighbours', { taxon: 'Amanita muscaria', excludeImageId: ids[0]! });
    expect(neighbours.map((i) => i.id)).toEqual([ids[1]!]);
    expect(await lib.invoke('labels.neighbours', { taxon: 'Amanita muscaria', excludeImageId: ids[1]! })).toEqual([]);
    expect(await lib.invoke('labels.taxa', {})).toEqual([
      { taxon: 'Amanita muscaria', rank: 'species', images: 2, verified: 1 },
      { taxon: 'Russula emetica', rank: 'species', images: 1, verified: 0 },
    ]);
  });
});
