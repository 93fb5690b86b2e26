// The library worker behind Electron's main thread: calls, errors with codes, progress events, clean close;
// and the bundled out/main/library-host.js opens a library under plain Node (no Electron needed).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import { SporeprintError } from '../../../src-main/core/errors';
import { readLibraryLock } from '../../../src-main/core/library-lock';
import { LibraryClient } from '../../../src-main/host/library-client';
import type { HostReply } from '../../../src-main/host/library-host-messages';
import { REPO_ROOT } from '../../e2e/support/serve-process';
import { announcementFor, writeCatalogueBeforeVectorRows } from '../../fixtures/catalogue-before-vector-rows';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';

describe('LibraryClient', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let client: LibraryClient;
  beforeAll(async () => {
    temp = makeTempDir();
    client = await LibraryClient.open(path.join(temp.dir, 'library'));
  });
  afterAll(async () => {
    await client?.close();
    temp?.cleanup();
  });

  it('answers calls from the worker that owns the library', async () => {
    expect((await client.invoke('library.info', {})).path).toBe(path.join(temp.dir, 'library'));
    expect(client.dir).toBe(path.join(temp.dir, 'library'));
  });

  it('rethrows domain errors with their code', async () => {
    const err = await client.invoke('images.get', { id: 12345 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SporeprintError);
    expect((err as SporeprintError).code).toBe('NOT_FOUND');
    const invalid = await client.invoke('images.get', { id: -1 }).catch((e: unknown) => e);
    expect((invalid as SporeprintError).code).toBe('INVALID_INPUT');
  });

  it('relays job progress events from the worker', async () => {
    const photos = path.join(temp.dir, 'photos');
    mkdirSync(photos);
    for (const seed of [61, 62]) writeFileSync(path.join(photos, `${seed}.jpg`), await makePhoto(seed, { width: 320, height: 240 }));
    const seen: Job[] = [];
    const done = new Promise<void>((resolve) =>
      client.on('job.progress', (job) => {
        seen.push(job);
        if (job.status !== 'running') resolve();
      }),
    );
    const { jobId } = await client.invoke('ingest.start', { paths: [photos], workers: 1 });
    await done;
    expect(seen.at(-1)).toMatchObject({ id: jobId, status: 'completed' });
    expect((await client.invoke('stats.get', {})).images).toBe(2);
  });

  it('says, before it opens, what bringing an older catalogue up to date does; and opens it', async () => {
    const dir = path.join(temp.dir, 'before-021');
    mkdirSync(dir);
    writeCatalogueBeforeVectorRows(dir, 40);
    const told: string[] = [];
    const older = await LibraryClient.open(dir, { onMigrating: (what) => told.push(what) });
    try {
      expect(told).toEqual([announcementFor(40)]);
      expect((await older.invoke('stats.get', {})).images).toBe(40);
    } finally {
      await older.close();
    }
    // Once: the next open finds it up to date.
    await (await LibraryClient.open(dir, { onMigrating: (what) => told.push(what) })).close();
    expect(told).toHaveLength(1);
  });

  it('refuses calls once closed', async () => {
    const other = await LibraryClient.open(path.join(temp.dir, 'second'));
    await other.close();
    await expect(other.invoke('stats.get', {})).rejects.toThrow(/library is closed/);
  });
});

describe('LibraryClient when its thread dies', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeAll(() => (temp = makeTempDir()));
  afterAll(() => temp?.cleanup());
  const logMessages = (dir: string) =>
    readFileSync(path.join(dir, 'logs', 'sporeprint.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
  /** The library's thread, reached the way a crash would: from outside, without the client's say. */
  const threadOf = (client: LibraryClient) => (client as unknown as { thread: { worker: Worker } }).thread.worker;

  it('fails the call in flight with the reason, new calls at once, still closes, and reopens on request', async () => {
    const dir = path.join(temp.dir, 'crashing');
    const client = await LibraryClient.open(dir);
    const statuses: { running: boolean; reason: string | null }[] = [];
    client.on('library.status', (status) => statuses.push(status));
    expect(readLibraryLock(dir)).toMatchObject({ pid: process.pid, app: 'desktop' });

    // A call that keeps the thread busy for a while (a 20 MB reference to resolve), ended by the thread's death.
    const inFlight = client.invoke('images.resolve', { ref: 'x'.repeat(20 * 1024 * 1024) }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await threadOf(client).terminate();
    const err = (await inFlight) as SporeprintError;
    expect(err).toBeInstanceOf(SporeprintError);
    expect(err.code).toBe('LIBRARY_STOPPED');
    expect(err.message).toMatch(/^the library stopped: its thread exited \(code 1\)/);
    expect(statuses).toEqual([{ running: false, reason: err.message }]);
    expect(client.stoppedReason).toBe(err.message);
    // The dead thread's owner lock is not left behind to lock the library out; the log says why it stopped.
    expect(readLibraryLock(dir)).toBeNull();
    expect(logMessages(dir)).toContain(err.message);

    const started = Date.now();
    await expect(client.invoke('stats.get', {})).rejects.toMatchObject({ code: 'LIBRARY_STOPPED' });
    expect(Date.now() - started).toBeLessThan(1000);

    await expect(client.invoke('library.reopen', {})).resolves.toEqual({ path: dir, reopened: true });
    expect(statuses.at(-1)).toEqual({ running: true, reason: null });
    expect((await client.invoke('stats.get', {})).images).toBe(0);
    expect(await client.invoke('library.reopen', {})).toEqual({ path: dir, reopened: false });

    await threadOf(client).terminate();
    await expect(client.invoke('stats.get', {})).rejects.toMatchObject({ code: 'LIBRARY_STOPPED' });
    await client.close();
    await expect(client.invoke('stats.get', {})).rejects.toThrow(/library is closed/);
  });

  it('refuses to open a library another live owner holds, naming it', async () => {
    const dir = path.join(temp.dir, 'owned');
    const first = await LibraryClient.open(dir, { app: 'serve' });
    const err = (await LibraryClient.open(dir).catch((e: unknown) => e)) as SporeprintError;
    expect(err.code).toBe('LIBRARY_IN_USE');
    expect(err.message).toMatch(new RegExp(`this library is open in Sporeprint \\(pid ${process.pid}, serve, since `));
    // A fault of the routing thread (an HTTP handler's) lands in the log the library's thread writes.
    first.report(new Error('socket exploded'), 'GET /media/x');
    await first.close();
    expect(logMessages(dir)).toContain('GET /media/x failed: socket exploded');
    expect(readLibraryLock(dir)).toBeNull();
  });
});

const BUILT_HOST = path.join(REPO_ROOT, 'out/main/library-host.js');
describe.skipIf(!existsSync(BUILT_HOST))('the bundled library host (out/main/library-host.js)', () => {
  it('opens a library with its native modules externalised', async () => {
    const temp = makeTempDir();
    const worker = new Worker(BUILT_HOST, { workerData: { dir: path.join(temp.dir, 'lib') } });
    const first = await new Promise<HostReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(first).toMatchObject({ type: 'ready', dir: path.join(temp.dir, 'lib'), lock: { pid: process.pid, app: 'desktop' } });
    worker.postMessage({ type: 'invoke', id: 1, method: 'stats.get', input: {} });
    const result = await new Promise<HostReply>((resolve) => worker.once('message', resolve));
    expect(result).toMatchObject({ type: 'result', id: 1, envelope: { ok: true, value: { images: 0 } } });
    worker.postMessage({ type: 'close' });
    await new Promise<HostReply>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    temp.cleanup();
  });
});
