// The library's own files: deleted derivatives rebuilt from their originals on a re-scan, what cannot be
// rebuilt reported by stats, orphan derivative folders of a killed run removed, and a full catalogue disk
// (SQLITE_FULL, injected through max_page_count) stops the run like a full derivatives disk (issue 13 parts 1, 6).
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { derivativeDirectory, DERIVATIVES_DIR } from '../../../src-main/core/library-paths';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { ingestAndWait, makeTempDir, openTempLibrary } from '../../fixtures/temp-library';

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function photoFolder(count: number, seed: number): Promise<string> {
  const { dir, cleanup } = makeTempDir('sporeprint-repair-');
  cleanups.push(cleanup);
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `p${i}.jpg`), await makePhoto(seed + i, { width: 800, height: 600 }));
  return dir;
}

describe('derivatives on a re-scan', () => {
  it('rebuilds deleted derivative files from the original, and counts those whose original is gone', async () => {
    const photos = await photoFolder(3, 9100);
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    expect((await ingestAndWait(lib, [photos])).result).toMatchObject({ added: 3 });
    const rows = lib.db.prepare(`SELECT i.sha256, l.path FROM image i JOIN location l ON l.image_id = i.id ORDER BY l.path`).all() as {
      sha256: string;
      path: string;
    }[];
    const folderOf = (sha: string) => path.join(dir, derivativeDirectory(sha));
    // p0: one file deleted; p1: the whole folder; p2: the folder and the original photo.
    rmSync(path.join(folderOf(rows[0]!.sha256), 'thumb.webp'));
    rmSync(folderOf(rows[1]!.sha256), { recursive: true });
    rmSync(folderOf(rows[2]!.sha256), { recursive: true });
    rmSync(rows[2]!.path);

    const again = await ingestAndWait(lib, [photos]);
    expect(again.result).toMatchObject({ added: 0, unchanged: 2, derivativesRebuilt: 2, derivativesUnrecoverable: 1 });
    expect(readdirSync(folderOf(rows[0]!.sha256))).toHaveLength(8);
    expect(readdirSync(folderOf(rows[1]!.sha256))).toHaveLength(8);
    expect((await lib.invoke('stats.get', {})).derivativesUnrecoverable).toBe(1);

    // The original comes back: the next run rebuilds it and the gap is gone.
    writeFileSync(rows[2]!.path, await makePhoto(9102, { width: 800, height: 600 }));
    const third = await ingestAndWait(lib, [photos]);
    expect(third.result).toMatchObject({ derivativesUnrecoverable: 0 });
    expect(readdirSync(folderOf(rows[2]!.sha256))).toHaveLength(8);
    expect((await lib.invoke('stats.get', {})).derivativesUnrecoverable).toBe(0);
  });

  it('removes derivative folders a killed run left for content it never committed', async () => {
    const photos = await photoFolder(1, 9200);
    const { lib, dir, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    const orphan = path.join(dir, derivativeDirectory('f'.repeat(64)));
    mkdirSync(orphan, { recursive: true });
    writeFileSync(path.join(orphan, 'large.jpg'), 'half written');
    // Written before this process started, as a killed run's folder is.
    const before = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    utimesSync(orphan, before, before);
    const recent = path.join(dir, derivativeDirectory('e'.repeat(64)));
    mkdirSync(recent, { recursive: true });
    await ingestAndWait(lib, [photos]);
    expect(existsSync(orphan)).toBe(false);
    // Written since this process started: may belong to a run of this process, so it stays.
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(path.join(dir, DERIVATIVES_DIR)).filter((n) => n !== '.tmp').length).toBeGreaterThanOrEqual(2);
  });
});

describe('a full catalogue disk', () => {
  it('stops the run with the disk-full message and rejects nothing; the next run goes on', async () => {
    const photos = await photoFolder(12, 9300);
    const { lib, cleanup } = openTempLibrary();
    cleanups.push(cleanup);
    // SQLite answers SQLITE_FULL past this many pages, as it does on a full disk.
    const pages = lib.db.pragma('page_count', { simple: true }) as number;
    lib.db.pragma(`max_page_count = ${pages + 4}`);
    const full = await ingestAndWait(lib, [photos], { workers: 1 });
    expect(full.status).toBe('failed');
    expect(full.error).toMatch(/disk is full/);
    lib.db.pragma('max_page_count = 1073741823');
    expect((await lib.invoke('stats.get', {})).rejected).toEqual({});
    const again = await ingestAndWait(lib, [photos]);
    expect(again.status).toBe('completed');
    expect((await lib.invoke('stats.get', {})).images).toBe(12);
  });
});
