// Jobs: persisted status, cancellation, crash recovery (running -> interrupted), resumable ingest.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { throwIfCancelled } from '../../../../src-main/core/jobs/job-runner';
import { Library } from '../../../../src-main/core/library';
import { openTempLibrary } from '../../../fixtures/temp-library';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('JobRunner', () => {
  it('runs a job in the background and records its result', async () => {
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const events: string[] = [];
    lib.on('job.progress', (job) => events.push(job.status));
    const id = lib.jobs.start('export', { x: 1 }, async (ctx) => {
      for (let i = 1; i <= 3; i++) ctx.progress(i, 3);
      return { written: 3 };
    });
    const job = await lib.waitForJob(id);
    expect(job).toMatchObject({ status: 'completed', done: 3, total: 3, result: { written: 3 } });
    expect(events.at(-1)).toBe('completed');
    expect(await lib.invoke('jobs.get', { id })).toMatchObject({ status: 'completed' });
  });

  it('reads back a failed job, and a row written with a JSON null result by an earlier version', async () => {
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const id = lib.jobs.start('export', {}, async () => {
      throw new Error('target not empty');
    });
    expect(await lib.waitForJob(id)).toMatchObject({ status: 'failed', error: 'target not empty', result: null });
    lib.db.prepare(`UPDATE job SET result_json = 'null' WHERE id = ?`).run(id);
    expect(await lib.invoke('jobs.get', { id })).toMatchObject({ status: 'failed', result: null });
  });

  it('cancels a running job through the API', async () => {
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const id = lib.jobs.start('export', {}, async (ctx) => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 5));
        throwIfCancelled(ctx.signal);
      }
    });
    expect(await lib.invoke('jobs.cancel', { id })).toEqual({ cancelled: true });
    expect((await lib.waitForJob(id)).status).toBe('cancelled');
    expect(await lib.invoke('jobs.cancel', { id })).toEqual({ cancelled: false });
  });

  it('records a failure with its message, and its stack in the job row and the library log', async () => {
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const writeShard = async () => {
      throw new Error('disk full');
    };
    const id = lib.jobs.start('export', {}, () => writeShard());
    const job = await lib.waitForJob(id);
    expect(job).toMatchObject({ status: 'failed', error: 'disk full' });
    expect(job.errorStack).toMatch(/^Error: disk full\n\s+at writeShard /);
    // The same job as read back from the catalogue (jobs.get), not only the runner's copy.
    expect((await lib.invoke('jobs.get', { id })).errorStack).toBe(job.errorStack);
    await lib.close();
    const logged = readFileSync(path.join(dir, 'logs', 'sporeprint.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; jobId?: number; err?: { stack: string } });
    const failure = logged.find((l) => l.msg === `job ${id} (export) failed: disk full`);
    expect(failure).toMatchObject({ jobId: id, err: { stack: job.errorStack } });
  });

  it('marks jobs left running by a crash as interrupted when the library reopens', async () => {
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    await lib.close();
    const db = new Database(path.join(dir, 'catalog.db'));
    db.prepare(`INSERT INTO job (kind, status, params_json) VALUES ('ingest', 'running', '{}')`).run();
    db.close();
    const reopened = Library.open(dir, { env: {} });
    cleanups.push(() => reopened.close());
    expect((await reopened.invoke('jobs.list', {}))[0]).toMatchObject({ kind: 'ingest', status: 'interrupted' });
  });
});

describe('Library.invoke', () => {
  it('validates input with the contract and names the offending field', async () => {
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    await expect(lib.invoke('images.get', { id: -4 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/id/),
    });
    await expect(lib.invoke('ingest.start', { paths: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(lib.invoke('images.get', { id: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // @ts-expect-error: an unknown method is a type error and a run-time error
    await expect(lib.invoke('images.drop', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
