// The library worker behind Electron's main thread: calls, errors with codes, progress events, clean close;
// and the bundled out/main/library-host.js opens a library under plain Node (no Electron needed).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import { SporeprintError } from '../../../src-main/core/errors';
import { LibraryClient } from '../../../src-main/host/library-client';
import type { HostReply } from '../../../src-main/host/library-host-messages';
import { REPO_ROOT } from '../../e2e/support/serve-process';
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

  it('refuses calls once closed', async () => {
    const other = await LibraryClient.open(path.join(temp.dir, 'second'));
    await other.close();
    await expect(other.invoke('stats.get', {})).rejects.toThrow(/library is closed/);
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
    expect(first).toEqual({ type: 'ready', dir: path.join(temp.dir, 'lib') });
    worker.postMessage({ type: 'invoke', id: 1, method: 'stats.get', input: {} });
    const result = await new Promise<HostReply>((resolve) => worker.once('message', resolve));
    expect(result).toMatchObject({ type: 'result', id: 1, envelope: { ok: true, value: { images: 0 } } });
    worker.postMessage({ type: 'close' });
    await new Promise<HostReply>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    temp.cleanup();
  });
});
