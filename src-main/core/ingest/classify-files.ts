// Splits scanned files into unchanged (same path, size and mtime as catalogued) and to-process.
import type { Db } from '../catalog/database';
import type { ScannedFile } from './scan-files';

export interface Classified {
  unchanged: ScannedFile[];
  /** Rejected before and unchanged since: not retried. */
  stillRejected: ScannedFile[];
  toProcess: ScannedFile[];
}

export function classifyFiles(db: Db, files: ScannedFile[]): Classified {
  const known = new Map<string, { size: number; mtime_ms: number }>();
  for (const row of db.prepare(`SELECT path, size, mtime_ms FROM location`).iterate() as Iterable<{
    path: string;
    size: number;
    mtime_ms: number;
  }>)
    known.set(row.path, row);
  const rejected = new Map<string, { size: number; mtime_ms: number }>();
  for (const row of db.prepare(`SELECT path, size, mtime_ms FROM rejected_file`).iterate() as Iterable<{
    path: string;
    size: number;
    mtime_ms: number;
  }>)
    rejected.set(row.path, row);
  const out: Classified = { unchanged: [], stillRejected: [], toProcess: [] };
  for (const file of files) {
    const same = (row: { size: number; mtime_ms: number } | undefined) => row && row.size === file.size && row.mtime_ms === file.mtimeMs;
    if (same(known.get(file.path))) out.unchanged.push(file);
    else if (same(rejected.get(file.path))) out.stillRejected.push(file);
    else out.toProcess.push(file);
  }
  return out;
}
