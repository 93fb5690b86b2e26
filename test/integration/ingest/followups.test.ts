// The work that follows a commit (descriptor vectors, clusters, the active model's vectors) is queued in the
// catalogue with each new image: a run whose follow-up fails leaves it queued, and the next run finishes it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingFollowups } from '../../../src-main/core/catalog/image-followups';
import { describeImage } from '../../../src-main/core/imaging/descriptor';
import { DESCRIPTOR_MODEL_ID } from '../../../src-main/core/embed/descriptor-provider';
import { dot } from '../../../src-main/core/embed/provider';
import { getVector } from '../../../src-main/core/vector/vector-store';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeVariant } from '../../fixtures/variants';
import { makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function photoFolder(name: string, seeds: number[]): Promise<string> {
  const { dir, cleanup } = makeTempDir(`sporeprint-followup-${name}-`);
  cleanups.push(cleanup);
  mkdirSync(dir, { recursive: true });
  for (const seed of seeds) writeFileSync(path.join(dir, `${seed}.jpg`), await makePhoto(seed, { width: 800, height: 600 }));
  return dir;
}

describe('follow-up work of new images', () => {
  it('stays queued when it fails, and the next run finishes it for both runs', async () => {
    const first = await photoFolder('a', [3101, 3102, 3103]);
    const second = await photoFolder('b', [3104]);
    // A resized copy of a photo of the first run arrives with the second: it must join that photo's cluster.
    writeFileSync(path.join(second, 'copy.jpg'), await makeVariant(readFileSync(path.join(first, '3101.jpg')), 'resize'));
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const seen: number[][] = [];
    let failures = 1;
    lib.onImagesAdded((_ctx, imageIds) => {
      seen.push([...imageIds]);
      if (failures-- > 0) throw new Error('follow-up failed on purpose');
    });

    const failed = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [first] })).jobId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/on purpose/);
    // The images are in; their follow-up is still queued (the listeners before the failing one ran).
    expect((await lib.invoke('stats.get', {})).images).toBe(3);
    expect(pendingFollowups(lib.db)).toEqual(seen[0]);

    const done = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [second] })).jobId);
    expect(done).toMatchObject({ status: 'completed', result: { added: 2 } });
    expect(seen[1]).toEqual(expect.arrayContaining(seen[0]!));
    expect(seen[1]).toHaveLength(5);
    expect(pendingFollowups(lib.db)).toEqual([]);
    const vectors = lib.db.prepare(`SELECT count(*) FROM image_vector WHERE model_id = ?`).pluck().get(DESCRIPTOR_MODEL_ID);
    expect(vectors).toBe(5);
    const { clusters } = await lib.invoke('duplicates.clusters', {});
    expect(clusters.map((c) => c.members.flatMap((m) => m.paths.map((p) => path.basename(p))).sort())).toEqual([['3101.jpg', 'copy.jpg']]);
  });

  it('stores the descriptor the decode worker computed, matching the one search computes from the file', async () => {
    const folder = await photoFolder('c', [3201, 3202]);
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const job = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [folder] })).jobId);
    expect(job.status).toBe('completed');
    for (const seed of [3201, 3202]) {
      const file = path.join(folder, `${seed}.jpg`);
      const id = lib.db.prepare(`SELECT image_id FROM location WHERE path = ?`).pluck().get(file) as number;
      const stored = getVector(lib.db, DESCRIPTOR_MODEL_ID, id)!;
      const fromFile = await describeImage(readFileSync(file));
      // Same recipe from two decodes (the ingest ladder vs a fresh shrink-on-load decode): equal up to resampling.
      expect(dot(stored, fromFile)).toBeGreaterThan(0.999);
    }
    const [a, b] = [3201, 3202].map((seed) => {
      const id = lib.db
        .prepare(`SELECT image_id FROM location WHERE path = ?`)
        .pluck()
        .get(path.join(folder, `${seed}.jpg`));
      return getVector(lib.db, DESCRIPTOR_MODEL_ID, id as number)!;
    });
    // Two different photos are far apart on the same scale (about 0.5 for these).
    expect(dot(a!, b!)).toBeLessThan(0.9);
  });
});
