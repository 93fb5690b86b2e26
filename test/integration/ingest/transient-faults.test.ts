// A fault around a file (a full disk, a failed write, a crashed worker) never excludes a photo for good: it is
// a failure, retried by the next run, and a full disk stops the run with one message (issue 13 part 1).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVATIVES_DIR } from '../../../src-main/core/library-paths';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function photoFolder(count: number, seed: number, size = { width: 900, height: 700 }): Promise<string> {
  const { dir, cleanup } = makeTempDir('sporeprint-faults-');
  cleanups.push(cleanup);
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `p${i}.jpg`), await makePhoto(seed + i, size));
  return dir;
}

describe('faults around the file', () => {
  it('a derivative write that fails is a failure to retry, not a rejection; the next run adds the files', async () => {
    const photos = await photoFolder(3, 7100);
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    // Fault injection that works for root too: the shard folder of each photo's derivatives is a file, so its
    // derivative writes fail (ENOTDIR) as they would on a permission or I/O error.
    const shards = readdirSync(photos).map((name) => path.join(dir, DERIVATIVES_DIR, sha256Of(path.join(photos, name)).slice(0, 2)));
    mkdirSync(path.join(dir, DERIVATIVES_DIR), { recursive: true });
    for (const shard of shards) writeFileSync(shard, 'not a folder');

    const first = await ingestAndWait(lib, [photos]);
    expect(first.status).toBe('completed');
    expect(first.result).toMatchObject({ added: 0, rejected: 0, failed: 3 });
    const stats = await lib.invoke('stats.get', {});
    expect(stats.rejected).toEqual({});
    expect(Object.values(stats.failed).reduce((a, b) => a + b, 0)).toBe(3);
    expect((await lib.invoke('rejected.list', {})).total).toBe(0);

    for (const shard of shards) rmSync(shard, { force: true });
    const plan = await lib.invoke('ingest.plan', { paths: [photos] });
    expect(plan).toMatchObject({ toProcess: 3, unchanged: 0 });
    const second = await ingestAndWait(lib, [photos]);
    expect(second.result).toMatchObject({ added: 3, failed: 0, unchanged: 0 });
    expect((await lib.invoke('stats.get', {})).failed).toEqual({});
  });

  it('--retry-rejected tries again files rejected before, even unchanged', async () => {
    const photos = await photoFolder(1, 7200);
    writeFileSync(path.join(photos, 'notes.jpg'), 'not an image at all');
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    expect((await ingestAndWait(lib, [photos])).result).toMatchObject({ added: 1, rejected: 1 });
    expect((await ingestAndWait(lib, [photos])).result).toMatchObject({ rejected: 0, unchanged: 2, previouslyRejected: 1 });
    const retried = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [photos], retryRejected: true })).jobId);
    expect(retried.result).toMatchObject({ rejected: 1, unchanged: 1, previouslyRejected: 0 });
  });
});

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Mounts a tmpfs of `megabytes` at `dir`; false (with the reason) when this process may not. */
function mountTmpfs(dir: string, megabytes: number): { ok: true } | { ok: false; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `mount failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

describe('a full disk', () => {
  it('stops the run with one message, rejects nothing, and the next run (with space) adds every photo', async (test) => {
    const photos = await photoFolder(24, 7300, { width: 1400, height: 1000 });
    const { lib, dir, cleanup } = openTempLibrary();
    const derivatives = path.join(dir, DERIVATIVES_DIR);
    mkdirSync(derivatives, { recursive: true });
    const mounted = mountTmpfs(derivatives, 3);
    if (!mounted.ok) {
      await cleanup();
      console.warn(`skipped the real disk-full test: cannot mount a 3 MB tmpfs (${mounted.reason})`);
      test.skip();
      return;
    }
    let unmounted = false;
    const unmount = () => {
      if (!unmounted) execFileSync('umount', [derivatives]);
      unmounted = true;
    };
    cleanups.push(async () => {
      unmount();
      await cleanup();
    });

    const full = await ingestAndWait(lib, [photos], { workers: 1 });
    expect(full.status).toBe('failed');
    expect(full.error).toMatch(/disk is full.*Nothing was rejected/s);
    const stats = await lib.invoke('stats.get', {});
    expect(stats.rejected).toEqual({});
    expect(stats.failed.ENOSPC).toBeGreaterThanOrEqual(1);
    expect(stats.images).toBeLessThan(24);

    // Space freed: the tmpfs goes (with the derivatives written on it, which the verify step rebuilds).
    unmount();
    const again = await ingestAndWait(lib, [photos]);
    expect(again.status).toBe('completed');
    expect((await lib.invoke('stats.get', {})).images).toBe(24);
    expect(again.result).toMatchObject({ rejected: 0, failed: 0, derivativesRebuilt: stats.images });
    expect((await lib.invoke('stats.get', {})).failed).toEqual({});
  });
});
