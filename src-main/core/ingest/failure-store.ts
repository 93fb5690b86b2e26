// Records files an ingest could not finish for a reason around the file (full disk, permission, I/O error,
// vanished, crashed worker). Unlike a rejection, a failure never makes a file "unchanged": the next run tries
// it again; `stats` lists failures apart from rejections.
import path from 'node:path';
import type { Db } from '../catalog/database';
import { parseCount, parseOptionalText, parseTexts } from '../catalog/parse-rows';
import type { SporeprintError } from '../errors';

/** The file is as it was when the failure was recorded: size and mtime, as everywhere ingest decides "unchanged". */
const SAME_BYTES = `ingest_failure.size = excluded.size AND ingest_failure.mtime_ms = excluded.mtime_ms`;

export class FailureStore {
  private readonly upsert;
  private readonly upsertCrash;
  private readonly remove;

  constructor(
    private readonly db: Db,
    private readonly jobId: number,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO ingest_failure (path, size, mtime_ms, code, errno, message, job_id) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, code = excluded.code,
        errno = excluded.errno, message = excluded.message, job_id = excluded.job_id,
        at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
        crashes = CASE WHEN ${SAME_BYTES} THEN ingest_failure.crashes ELSE 0 END`);
    this.upsertCrash = db
      .prepare(
        `
      INSERT INTO ingest_failure (path, size, mtime_ms, code, errno, message, job_id, crashes) VALUES (?, ?, ?, ?, NULL, ?, ?, 1)
      ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, code = excluded.code,
        errno = NULL, message = excluded.message, job_id = excluded.job_id,
        at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
        crashes = CASE WHEN ${SAME_BYTES} THEN ingest_failure.crashes + 1 ELSE 1 END
      RETURNING crashes`,
      )
      .pluck();
    this.remove = db.prepare(`DELETE FROM ingest_failure WHERE path = ?`);
  }

  record(file: { path: string; size: number; mtimeMs: number }, err: SporeprintError): void {
    this.upsert.run(file.path, file.size, file.mtimeMs, err.code, errnoInText(err.reason), err.reason, this.jobId);
  }

  /** Records that the file's worker crashed under it; returns how often in a row it did on these bytes. */
  recordCrash(file: { path: string; size: number; mtimeMs: number }, err: SporeprintError): number {
    return parseCount(this.upsertCrash.get(file.path, file.size, file.mtimeMs, err.code, err.reason, this.jobId), 'ingest failure crashes');
  }

  clear(filePath: string): void {
    this.remove.run(filePath);
  }

  /** Forgets failures of files under `roots` that this scan no longer found (moved or deleted since). */
  forgetVanished(roots: string[], scanned: ReadonlySet<string>): void {
    const rows = parseTexts(this.db.prepare(`SELECT path FROM ingest_failure`).pluck().all(), 'ingest failure path');
    const under = (file: string) =>
      roots.some((root) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
    const gone = rows.filter((file) => under(file) && !scanned.has(file));
    this.db.transaction(() => {
      for (const file of gone) this.remove.run(file);
    })();
  }
}

/** The errno code a system error message carries ("ENOSPC: no space left on device, write"), for grouping. */
export function errnoInText(text: string): string | null {
  return /\b(E[A-Z0-9]{2,}|SQLITE_[A-Z_]+)\b/.exec(text)?.[1] ?? null;
}

/** Why the last ingest could not finish this file ("IO_FAILED: cannot ..."), or null when it did not fail. */
export function failureOf(db: Db, filePath: string): string | null {
  const text = db.prepare(`SELECT code || ': ' || message FROM ingest_failure WHERE path = ?`).pluck().get(filePath);
  return parseOptionalText(text, 'ingest failure') ?? null;
}
