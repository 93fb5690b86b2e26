// A worker that dies fails only the task it ran (an INTERNAL error the ingest retries next run, not a
// rejection), and a fresh worker takes its place for the rest of the queue (issue 13 part 1).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../../src-main/core/concurrency/worker-pool';
import type { DecodeResult, DecodeTask } from '../../../../src-main/core/imaging/process-image-file';
import { makePhoto } from '../../../fixtures/synthetic-photos';
import { makeTempDir } from '../../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('WorkerPool', () => {
  it('fails the task of a worker that died and replaces the worker', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const photo = path.join(dir, 'p.jpg');
    writeFileSync(photo, await makePhoto(5100, { width: 600, height: 400 }));
    const pool = new WorkerPool<DecodeTask, DecodeResult>('decode-worker', 1, { libraryDir: dir, tempDir: path.join(dir, 'tmp') });
    cleanups.push(() => pool.close());
    const known = { onAsk: () => ({ known: true }) };

    const doomed = pool.run({ path: photo }, known);
    const slots = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    const first = slots[0]!.worker;
    await first.terminate();
    await expect(doomed).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/worker thread exited/) });

    expect(slots[0]!.worker).not.toBe(first);
    await expect(pool.run({ path: photo }, known)).resolves.toMatchObject({ format: 'jpeg', analysis: null });
  });
});
