// Records files refused at ingest, with their reason, so `stats` and the Import view can list them.
import type { Db } from '../catalog/database';
import type { SporeprintError } from '../errors';

export class RejectionStore {
  private readonly upsert;
  private readonly remove;
  private readonly dropLocation;

  constructor(
    db: Db,
    private readonly jobId: number,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO rejected_file (path, size, mtime_ms, code, message, job_id) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, code = excluded.code,
        message = excluded.message, job_id = excluded.job_id, at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`);
    this.remove = db.prepare(`DELETE FROM rejected_file WHERE path = ?`);
    // The path no longer holds the catalogued content; the image itself (and its other copies) stays.
    this.dropLocation = db.prepare(`DELETE FROM location WHERE path = ?`);
  }

  record(file: { path: string; size: number; mtimeMs: number }, err: SporeprintError): void {
    this.upsert.run(file.path, file.size, file.mtimeMs, err.code, err.reason, this.jobId);
    this.dropLocation.run(file.path);
  }

  clear(path: string): void {
    this.remove.run(path);
  }
}
