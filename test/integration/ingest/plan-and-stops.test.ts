// Issue 18 (ingest): a dry run and a run count from one setup, so they agree; a cancelled ingest still gives
// the images it committed their vectors and clusters. Issue 13 part 3: odd paths are listed skips in a run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingFollowups } from '../../../src-main/core/catalog/image-followups';
import { DESCRIPTOR_MODEL_ID } from '../../../src-main/core/embed/descriptor-provider';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function photoFolder(count: number, seed: number): Promise<string> {
  const { dir, cleanup } = makeTempDir('sporeprint-plan-');
  cleanups.push(cleanup);
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `p${i}.jpg`), await makePhoto(seed + i, { width: 700, height: 500 }));
  return dir;
}

describe('plan and run', () => {
  it('agree on every count of a folder with new, unchanged, rejected and skipped files', async () => {
    const dir = await photoFolder(3, 8100);
    writeFileSync(path.join(dir, 'broken.jpg'), 'no image here');
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    await ingestAndWait(lib, [dir]);
    // Then: a new photo, a non-UTF-8 name beside a subfolder, a FIFO.
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'new.jpg'), await makePhoto(8199, { width: 700, height: 500 }));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff]), Buffer.from('.jpg')]), 'x');
    execFileSync('mkfifo', [path.join(dir, 'pipe.jpg')]);

    const plan = await lib.invoke('ingest.plan', { paths: [dir] });
    const run = await ingestAndWait(lib, [dir]);
    expect(run.status).toBe('completed');
    const result = run.result as Record<string, unknown>;
    expect(plan).toMatchObject({ scanned: 5, toProcess: 1, unchanged: 4, previouslyRejected: 1, skipped: 2 });
    expect(result).toMatchObject({ scanned: plan.scanned, unchanged: plan.unchanged, previouslyRejected: plan.previouslyRejected });
    expect(result).toMatchObject({ added: plan.toProcess, skipped: plan.skipped, skippedPaths: plan.skippedPaths });
  });
});

describe('a cancelled ingest', () => {
  it('finishes the follow-up queue (vectors, clusters) of the images it committed', async () => {
    const dir = await photoFolder(16, 8200);
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const { jobId } = await lib.invoke('ingest.start', { paths: [dir], workers: 1 });
    // Cancel once the first image is committed.
    while ((lib.db.prepare(`SELECT count(*) FROM image`).pluck().get() as number) === 0) await new Promise((r) => setTimeout(r, 20));
    await lib.invoke('jobs.cancel', { id: jobId });
    const job = await lib.waitForJob(jobId);
    expect(job.status).toBe('cancelled');
    const images = lib.db.prepare(`SELECT count(*) FROM image`).pluck().get() as number;
    expect(images).toBeGreaterThan(0);
    expect(images).toBeLessThan(16);
    expect(pendingFollowups(lib.db)).toEqual([]);
    const vectors = lib.db.prepare(`SELECT count(*) FROM image_vector WHERE model_id = ?`).pluck().get(DESCRIPTOR_MODEL_ID);
    expect(vectors).toBe(images);
  });
});
