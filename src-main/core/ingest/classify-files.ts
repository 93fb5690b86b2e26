// Splits scanned files into unchanged (same path, size and mtime as catalogued) and to-process.
import type { Db } from '../catalog/database';
import { integer, objectRowChecker, real, text } from '../catalog/row-columns';
import type { ScannedFile } from './scan-files';

export interface Classified {
  unchanged: ScannedFile[];
  /** Rejected before and unchanged since: not retried. */
  stillRejected: ScannedFile[];
  toProcess: ScannedFile[];
}

/** Every catalogued and rejected file is read on each run: a typeof check per column, not a zod parse (row-columns.ts). */
const checkKnownFile = objectRowChecker('catalogued file', { path: text, size: integer, mtime_ms: real });

function sizesByPath(db: Db, table: 'location' | 'rejected_file'): Map<string, { size: number; mtime_ms: number }> {
  const byPath = new Map<string, { size: number; mtime_ms: number }>();
  for (const row of db.prepare(`SELECT path, size, mtime_ms FROM ${table}`).iterate()) {
    const file = checkKnownFile(row);
    byPath.set(file.path, file);
  }
  return byPath;
}

export function classifyFiles(db: Db, files: ScannedFile[]): Classified {
  const known = sizesByPath(db, 'location');
  const rejected = sizesByPath(db, 'rejected_file');
  const out: Classified = { unchanged: [], stillRejected: [], toProcess: [] };
  for (const file of files) {
    const same = (row: { size: number; mtime_ms: number } | undefined) => row && row.size === file.size && row.mtime_ms === file.mtimeMs;
    if (same(known.get(file.path))) out.unchanged.push(file);
    else if (same(rejected.get(file.path))) out.stillRejected.push(file);
    else out.toProcess.push(file);
  }
  return out;
}
