// How a process opens a library's catalogue: as its one owner (owner lock, migrations), read-only beside that owner,
// or read-only because the library cannot be written here at all.
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { openCatalog, type Db } from './catalog/database';
import { openCatalogReadOnly } from './catalog/read-only-catalog';
import { SporeprintError } from './errors';
import { describeOwner, LibraryLock, liveOwner, type LockApp } from './library-lock';
import { CATALOG_FILE } from './library-paths';

/** 'write': become the owner (the default); 'read': read the catalogue beside whoever owns it, taking no lock. */
export type LibraryAccess = 'write' | 'read';

export interface OpenedCatalog {
  db: Db;
  lock: LibraryLock | null;
  /** Why writes are refused (a sentence), or null for the owner. */
  readOnly: string | null;
  close(): void;
}

export interface OpenCatalogOptions {
  access: LibraryAccess;
  app: LockApp;
  /** Told when another process took the owner lock over (this one was judged dead). */
  onLockLost?: (reason: string) => void;
  /** Told what a long migration of an older catalogue is about to do (migrations/index.ts, `announce`). */
  onMigrating?: (what: string) => void;
}

export function openLibraryCatalog(dir: string, options: OpenCatalogOptions): OpenedCatalog {
  const file = path.join(dir, CATALOG_FILE);
  // A reader of a library that does not exist yet (stats, a dry run) sees an empty one and leaves no trace.
  if (options.access === 'read' && !existsSync(file)) return emptyInMemory(dir);
  const unwritable = whyUnwritable(dir, file);
  if (unwritable) return readOnly(file, { snapshot: unwritable.folder }, `the library is read-only (${unwritable.reason})`);
  if (options.access === 'read') {
    // An older catalogue is migrated first, then read; a current one is opened once (it was opened twice, once to
    // read its version and once to read it: ~5 % of a `stats` start).
    const catalog = openCatalogReadOnly(file, { snapshot: false, bringUpToDate: () => bringUpToDate(dir, file, options.onMigrating) });
    const owner = liveOwner(dir);
    const by = owner ? `; ${describeOwner(owner)} and may change it` : '';
    return { db: catalog.db, lock: null, readOnly: `the library is opened read-only by this command${by}`, close: catalog.close };
  }
  const lock = LibraryLock.acquire(dir, options.app, { onLost: options.onLockLost });
  try {
    const db = openCatalog(file, { onMigrating: options.onMigrating });
    return { db, lock, readOnly: null, close: () => db.close() };
  } catch (err) {
    lock.release();
    throw err;
  }
}

function emptyInMemory(dir: string): OpenedCatalog {
  const db = openCatalog(':memory:');
  return { db, lock: null, readOnly: `there is no library at ${dir} yet (nothing was created there)`, close: () => db.close() };
}

function readOnly(file: string, options: { snapshot: boolean }, reason: string): OpenedCatalog {
  const catalog = openCatalogReadOnly(file, options);
  return { db: catalog.db, lock: null, readOnly: reason, close: catalog.close };
}

/** Why this process cannot write the library (read-only filesystem, permissions) and whether its folder is concerned. */
export function whyUnwritable(dir: string, file: string): { reason: string; folder: boolean } | null {
  const check = (target: string, what: string): string | null => {
    try {
      accessSync(target, constants.W_OK);
      return null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return `${what} is on a read-only filesystem`;
      if (code === 'EACCES' || code === 'EPERM') return `${what} is not writable by this user`;
      throw err;
    }
  };
  const folder = check(dir, 'its folder');
  if (folder) return { reason: folder, folder: true };
  const catalog = existsSync(file) ? check(file, CATALOG_FILE) : null;
  return catalog ? { reason: catalog, folder: false } : null;
}

/**
 * A reader finding an older catalogue migrates it first (each migration is its own IMMEDIATE
 * transaction, safe beside a process doing the same); not under a live owner, which may be an older Sporeprint.
 */
function bringUpToDate(dir: string, file: string, onMigrating?: (what: string) => void): void {
  const owner = liveOwner(dir);
  if (owner) throw new SporeprintError('LIBRARY_IN_USE', `${describeOwner(owner)} with an older catalogue; close it there first`, dir);
  openCatalog(file, { onMigrating }).close();
}
