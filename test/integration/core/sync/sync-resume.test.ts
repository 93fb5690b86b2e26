// A sync whose connection is killed (pg_terminate_backend from a second connection) retries or resumes, losing and doubling nothing.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../../../src-main/core/library';
import { runSync } from '../../../../src-main/core/sync/run-sync';
import { claimLabels, insertImages } from '../../../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, type TempDatabase } from '../../../fixtures/pg-database';
import { makeTempDir } from '../../../fixtures/temp-library';
import type pg from 'pg';

const IMAGES = 500;
const BATCH = 50;

describe.skipIf(!hasPostgres)(`sync after a dropped connection${hasPostgres ? '' : ` (${POSTGRES_SKIP_REASON})`}`, () => {
  let target: TempDatabase;
  let killer: pg.Client;
  let dir: string;
  let removeDir: () => void;
  let lib: Library | undefined;
  const databases: TempDatabase[] = [];

  function open(env: Record<string, string> = {}): Library {
    lib = Library.open(dir, { env: { SYNC_BATCH_SIZE: String(BATCH), SYNC_BACKOFF_MS: '20', ...env } });
    return lib;
  }

  beforeEach(async () => {
    target = await createTempDatabase();
    databases.push(target);
    killer = await target.connect();
    ({ dir, cleanup: removeDir } = makeTempDir());
    const l = open();
    const ids = insertImages(l.db, 'resume', IMAGES);
    claimLabels(
      l.db,
      ids.filter((_, n) => n % 2 === 0),
      'Pleurotus ostreatus',
    );
  });
  afterEach(async () => {
    await lib?.close();
    lib = undefined;
    removeDir();
    await killer.end();
  });
  afterAll(async () => {
    for (const d of databases) await d.drop();
  });

  async function terminate(client: pg.Client): Promise<void> {
    const pid = (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
    const r = await killer.query(`SELECT pg_terminate_backend($1) AS ok`, [pid]);
    expect(r.rows[0].ok).toBe(true);
  }

  async function serverTotals() {
    const images = await killer.query(`SELECT count(*)::int AS n, count(taxon)::int AS labelled FROM media.image`);
    const events = await killer.query(
      `SELECT count(*)::int AS n, count(DISTINCT client_event_id)::int AS distinct_ids FROM media.label_event`,
    );
    return {
      images: images.rows[0].n,
      labelled: images.rows[0].labelled,
      events: events.rows[0].n,
      distinctEvents: events.rows[0].distinct_ids,
    };
  }

  const complete = { images: IMAGES, labelled: IMAGES / 2, events: IMAGES / 2, distinctEvents: IMAGES / 2 };

  it('retries a batch whose connection died before COMMIT, and applies it exactly once', async () => {
    let killed = 0;
    const result = await runSync(lib!, {
      url: target.url,
      initSchema: true,
      dryRun: false,
      beforeCommit: async (batch, client) => {
        if (batch === 3 && killed === 0) {
          killed++;
          await terminate(client);
        }
      },
    });
    expect(killed).toBe(1);
    expect(result.retries).toBeGreaterThanOrEqual(1);
    expect(result.pushed).toBe(IMAGES);
    expect(await serverTotals()).toEqual(complete);
    expect((await lib!.invoke('sync.status', {})).pending).toBe(0);
  });

  it('a run that gives up leaves whole batches only, and the next run resumes from the cursor', async () => {
    await lib!.close();
    const failing = open({ SYNC_MAX_RETRIES: '0' });
    await expect(
      runSync(failing, {
        url: target.url,
        initSchema: true,
        dryRun: false,
        beforeCommit: async (batch, client) => {
          if (batch === 4) await terminate(client);
        },
      }),
    ).rejects.toThrow(/sync to .* failed/);
    // Batches 1-3 committed; batch 4 was rolled back whole.
    expect(await serverTotals()).toMatchObject({ images: 3 * BATCH });
    expect((await failing.invoke('sync.status', {})).pending).toBe(IMAGES - 3 * BATCH);
    await failing.close();

    const resumed = open();
    const { jobId } = await resumed.invoke('sync.start', { url: target.url });
    const job = await resumed.waitForJob(jobId);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ pushed: IMAGES - 3 * BATCH, retries: 0 });
    expect(await serverTotals()).toEqual(complete);
  });

  it('a cancelled sync stops between batches and the next one finishes the job', async () => {
    await lib!.close();
    const l = open({ SYNC_BATCH_SIZE: '10' });
    const { jobId } = await l.invoke('sync.start', { url: target.url, initSchema: true });
    const done = l.waitForJob(jobId);
    let finished = false;
    void done.then(() => (finished = true));
    // Cancel as soon as the first batches are on the server (the table appears when the job creates it).
    while (!finished) {
      const r = await killer.query(`SELECT count(*)::int AS n FROM media.image`).catch(() => ({ rows: [{ n: 0 }] }));
      if (r.rows[0]!.n > 0 && l.jobs.cancel(jobId)) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const job = await done;
    expect(job.status).toBe('cancelled');
    const partial = await serverTotals();
    expect(partial.images % 10).toBe(0); // whole batches only
    expect(partial.images).toBeLessThan(IMAGES);
    expect((await l.invoke('sync.status', {})).pending).toBe(IMAGES - partial.images);
    const again = await l.invoke('sync.start', { url: target.url });
    expect((await l.waitForJob(again.jobId)).status).toBe('completed');
    expect(await serverTotals()).toEqual(complete);
  });

  it('survives its backend being killed by an outside connection while a sync job runs', async () => {
    await lib!.close();
    const l = open({ SYNC_BATCH_SIZE: '10' });
    let terminated = 0;
    const { jobId } = await l.invoke('sync.start', { url: target.url, initSchema: true });
    const done = l.waitForJob(jobId);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished && terminated === 0) {
      const r = await killer
        .query(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
         WHERE application_name = 'sporeprint-sync' AND datname = current_database()
           AND EXISTS (SELECT 1 FROM media.image)`,
        )
        .catch(() => ({ rows: [] as { ok: boolean }[] })); // media.image does not exist until the job creates it
      terminated += r.rows.filter((x) => x.ok).length;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const job = await done;
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(await serverTotals()).toEqual(complete);
    expect((await l.invoke('sync.status', {})).pending).toBe(0);
    expect(terminated).toBeGreaterThanOrEqual(1);
    expect((job.result as { retries: number }).retries).toBeGreaterThanOrEqual(1);
  });
});
