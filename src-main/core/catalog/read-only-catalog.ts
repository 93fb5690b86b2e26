// Opens a catalogue read-only: beside its owner (WAL lets readers and the one writer work at once), or where it
// cannot be written at all (a read-only file, folder or filesystem).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SporeprintError } from '../errors';
import { openCatalog, type Db } from './database';
import { MIGRATIONS, schemaVersion } from './migrations';

export interface ReadOnlyCatalog {
  db: Db;
  /** Set when the catalogue had to be read from a private copy; removed by close(). */
  snapshotDir: string | null;
  close(): void;
}

export interface ReadOnlyOptions {
  snapshot: boolean;
  /**
   * Called, with the catalogue closed again, when its schema is older than this Sporeprint's; the catalogue is then
   * opened once more. Without it an older catalogue is refused. One open serves both the check and the read.
   */
  bringUpToDate?: () => void;
}

/**
 * Opens `file` read-only. A WAL catalogue needs its -shm index file, which SQLite creates beside it if missing; in a
 * folder that cannot be written (read-only storage) it cannot, and refuses to open. With `snapshot` the catalogue
 * (and its -wal, if any) is therefore read from a private copy in the temp folder: exactly what a reader would see.
 */
export function openCatalogReadOnly(file: string, options: ReadOnlyOptions): ReadOnlyCatalog {
  if (!existsSync(file)) throw new SporeprintError('NOT_FOUND', 'there is no catalogue here to read', file);
  let snapshotDir: string | null = null;
  let source = file;
  if (options.snapshot) {
    snapshotDir = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-readonly-'));
    source = path.join(snapshotDir, path.basename(file));
    copyFileSync(file, source);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${source}-wal`);
  }
  const opened = openCatalog(source, { readonly: true });
  const close = () => {
    opened.close();
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  };
  const version = schemaVersion(opened);
  if (version < MIGRATIONS.length && options.bringUpToDate) {
    close();
    options.bringUpToDate();
    return openCatalogReadOnly(file, { snapshot: options.snapshot });
  }
  if (version !== MIGRATIONS.length) {
    close();
    throw new SporeprintError(
      'LIBRARY_READ_ONLY',
      version < MIGRATIONS.length
        ? `the catalogue (schema ${version}) is older than this Sporeprint (${MIGRATIONS.length}) and cannot be updated here; open it once where it can be written`
        : `catalogue schema version ${version} is newer than this Sporeprint (${MIGRATIONS.length}); update the app`,
      file,
    );
  }
  return { db: opened, snapshotDir, close };
}
