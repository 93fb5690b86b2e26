// One owner per library: a second writer is refused naming the owner; a reader opens beside it without touching the
// owner's running job (any open used to mark it interrupted) and keeps its own jobs out of the catalogue; a second
// ingest of the same folders starts its own job instead of taking over the running one.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/model';
import { SporeprintError } from '../../../src-main/core/errors';
import { applyMigration, MIGRATIONS, schemaVersion } from '../../../src-main/core/catalog/migrations';
import { Library } from '../../../src-main/core/library';
import { LibraryLock, readLibraryLock } from '../../../src-main/core/library-lock';
import { CATALOG_FILE } from '../../../src-main/core/library-paths';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';

let temp: ReturnType<typeof makeTempDir>;
let photos: string;

beforeAll(async () => {
  temp = makeTempDir('sporeprint-owner-');
  photos = path.join(temp.dir, 'photos', 'Boletus edulis');
  mkdirSync(photos, { recursive: true });
  for (let seed = 1; seed <= 8; seed++) writeFileSync(path.join(photos, `${seed}.jpg`), await makePhoto(seed, { width: 900, height: 700 }));
});
afterAll(() => temp?.cleanup());

/** Resolves with the job's state once it has committed at least one file, while it still runs. */
function whenUnderWay(lib: Library, jobId: number): Promise<Job> {
  return new Promise((resolve) => {
    const off = lib.on('job.progress', (job) => {
      if (job.id === jobId && job.done >= 1) {
        off();
        resolve(job);
      }
    });
  });
}

describe('the owner of a library', () => {
  it('refuses a second owner, lets a reader beside it, and keeps its running job running', async () => {
    const dir = path.join(temp.dir, 'library');
    const owner = Library.open(dir, { env: {}, app: 'serve' });
    try {
      expect(readLibraryLock(dir)).toMatchObject({ pid: process.pid, app: 'serve' });
      const err = (() => {
        try {
          Library.open(dir, { env: {} });
        } catch (e) {
          return e;
        }
      })() as SporeprintError;
      expect(err.code).toBe('LIBRARY_IN_USE');
      expect(err.message).toMatch(new RegExp(`this library is open in Sporeprint \\(pid ${process.pid}, serve, since `));

      const { jobId } = await owner.invoke('ingest.start', { paths: [photos], workers: 1 });
      await whenUnderWay(owner, jobId);
      const reader = Library.open(dir, { env: {}, access: 'read' });
      try {
        expect(reader.readOnlyReason).toMatch(/opened read-only by this command; this library is open in Sporeprint \(pid/);
        // Before: any open marked the owner's running job interrupted, in the catalogue both share.
        expect(owner.db.prepare('SELECT status FROM job WHERE id = ?').pluck().get(jobId)).toBe('running');
        expect((await reader.invoke('stats.get', {})).images).toBeGreaterThanOrEqual(1);
        // The reader's own job (an export dry run) is kept in its connection, never in the catalogue.
        const jobsBefore = owner.db.prepare('SELECT count(*) FROM job').pluck().get();
        const dry = await reader.waitForJob(
          (await reader.invoke('export.start', { outDir: path.join(temp.dir, 'dry'), dryRun: true, minPerClass: 1 })).jobId,
        );
        expect(dry.status).toBe('completed');
        expect(owner.db.prepare('SELECT count(*) FROM job').pluck().get()).toBe(jobsBefore);
        await expect(reader.invoke('labels.set', { imageIds: [1], state: 'human_verified' })).rejects.toMatchObject({
          code: 'LIBRARY_READ_ONLY',
        });
      } finally {
        await reader.close();
      }
      const done = await owner.waitForJob(jobId);
      expect(done).toMatchObject({ status: 'completed', result: { added: 8 } });
    } finally {
      await owner.close();
    }
    expect(readLibraryLock(dir)).toBeNull();
    // The lock went with the owner: the library opens again.
    const again = Library.open(dir, { env: {} });
    expect((await again.invoke('stats.get', {})).images).toBe(8);
    await again.close();
  });

  it('starts a second ingest of the same folders as its own job instead of taking over the running one', async () => {
    const lib = Library.open(path.join(temp.dir, 'two-ingests'), { env: {} });
    try {
      const first = (await lib.invoke('ingest.start', { paths: [photos], workers: 1 })).jobId;
      await whenUnderWay(lib, first);
      const second = (await lib.invoke('ingest.start', { paths: [photos], workers: 1 })).jobId;
      expect(second).not.toBe(first);
      const [a, b] = await Promise.all([lib.waitForJob(first), lib.waitForJob(second)]);
      expect([a.status, b.status]).toEqual(['completed', 'completed']);
      expect((await lib.invoke('stats.get', {})).images).toBe(8);
    } finally {
      await lib.close();
    }
  });

  it('opens a new library read-only by creating its catalogue first', async () => {
    const dir = path.join(temp.dir, 'new-for-reading');
    const reader = Library.open(dir, { env: {}, access: 'read' });
    try {
      expect(reader.readOnly).toBe(true);
      expect((await reader.invoke('stats.get', {})).images).toBe(0);
      expect(readLibraryLock(dir)).toBeNull();
    } finally {
      await reader.close();
    }
  });

  it('brings an older catalogue up to date before reading it, and refuses to while an owner holds it', async () => {
    // A catalogue as an older Sporeprint left it: its first three migrations (plain SQL, no functions of ours).
    const olderCatalogue = (name: string) => {
      const dir = path.join(temp.dir, name);
      mkdirSync(dir, { recursive: true });
      const db = new Database(path.join(dir, CATALOG_FILE));
      const older = 3;
      for (const migration of MIGRATIONS.slice(0, older)) applyMigration(db, migration);
      db.pragma(`user_version = ${older}`);
      db.close();
      return dir;
    };
    const dir = olderCatalogue('older-for-reading');
    const reader = Library.open(dir, { env: {}, access: 'read' });
    try {
      expect(reader.readOnly).toBe(true);
      expect((await reader.invoke('stats.get', {})).images).toBe(0);
      expect(schemaVersion(reader.db)).toBe(MIGRATIONS.length);
    } finally {
      await reader.close();
    }
    const owned = olderCatalogue('older-under-an-owner');
    const lock = LibraryLock.acquire(owned, 'cli');
    try {
      expect(() => Library.open(owned, { env: {}, access: 'read' })).toThrow(expect.objectContaining({ code: 'LIBRARY_IN_USE' }));
    } finally {
      lock.release();
    }
  });
});
