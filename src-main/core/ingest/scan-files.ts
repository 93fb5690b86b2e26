// Walks the given files and folders (recursively) and lists every regular file with its size and mtime.
// A path that cannot be walked (unreadable folder, vanished file, a name that is not UTF-8, a broken or looping
// symlink, a FIFO or device) is listed as skipped with its reason; the rest of the folder is still scanned.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SporeprintError } from '../errors';
import { kindOfFile } from '../files/regular-file';

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface ScanResult {
  files: ScannedFile[];
  skipped: SkippedPath[];
}

export interface ScanOptions {
  /** Folders never descended into (the library itself, when it sits inside an ingested folder). */
  exclude?: string[];
}

interface Walk {
  exclude: Set<string>;
  files: ScannedFile[];
  skipped: SkippedPath[];
  /** Real paths of the folders being walked: a symlink back into one of them is a loop. */
  ancestors: Set<string>;
}

export async function scanFiles(roots: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const walk: Walk = {
    exclude: new Set((options.exclude ?? []).map((p) => path.resolve(p))),
    files: [],
    skipped: [],
    ancestors: new Set(),
  };
  for (const root of roots) {
    const absolute = path.resolve(root);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new SporeprintError('NOT_FOUND', 'no such file or folder', absolute);
    }
    if (info.isDirectory()) await walkFolder(absolute, walk);
    else if (info.isFile()) walk.files.push({ path: absolute, size: info.size, mtimeMs: info.mtimeMs });
    else walk.skipped.push({ path: absolute, reason: `${kindOfFile(info)}, not a photo file` });
  }
  // Sorted so that --limit and resumption see the same order on every run.
  walk.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  walk.skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: dedupeByPath(walk.files), skipped: walk.skipped };
}

async function walkFolder(dir: string, walk: Walk): Promise<void> {
  if (walk.exclude.has(dir)) return;
  let real: string;
  let entries: Dirent<Buffer>[];
  try {
    real = await realpath(dir);
    // Names as bytes: a name that is not valid UTF-8 cannot be written back as a string path.
    entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    walk.skipped.push({ path: dir, reason: `folder cannot be read (${errnoText(err)})` });
    return;
  }
  if (walk.ancestors.has(real)) {
    walk.skipped.push({ path: dir, reason: `symlink loop: this folder is already being scanned as ${real}` });
    return;
  }
  walk.ancestors.add(real);
  try {
    const subfolders: string[] = [];
    // Files are stat'ed together (a re-scan is bound by these calls); each promise settles to a value, so that
    // no rejection is ever left unhandled while another one is awaited.
    const visits: Promise<string | null>[] = [];
    for (const entry of entries) {
      const name = entry.name.toString('utf8');
      const full = path.join(dir, name);
      if (!Buffer.from(name, 'utf8').equals(entry.name)) {
        walk.skipped.push({ path: full, reason: 'file name is not valid UTF-8; rename it to ingest it' });
      } else if (entry.isDirectory()) subfolders.push(full);
      else visits.push(visitFile(full, entry, walk));
    }
    for (const folder of await Promise.all(visits)) if (folder) subfolders.push(folder);
    for (const folder of subfolders) await walkFolder(folder, walk);
  } finally {
    walk.ancestors.delete(real);
  }
}

/** Lists a file (symlinks followed); returns the path when it turned out to be a folder (a symlinked one). */
async function visitFile(full: string, entry: Dirent<Buffer>, walk: Walk): Promise<string | null> {
  if (!entry.isFile() && !entry.isSymbolicLink()) {
    walk.skipped.push({ path: full, reason: 'not a regular file (FIFO, device or socket)' });
    return null;
  }
  let info;
  try {
    info = await stat(full);
  } catch (err) {
    const reason = entry.isSymbolicLink() ? `broken symlink (${errnoText(err)})` : `vanished during the scan (${errnoText(err)})`;
    walk.skipped.push({ path: full, reason });
    return null;
  }
  if (info.isDirectory()) return full;
  if (info.isFile()) walk.files.push({ path: full, size: info.size, mtimeMs: info.mtimeMs });
  else walk.skipped.push({ path: full, reason: `${kindOfFile(info)}, not a photo file` });
  return null;
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ?? (err instanceof Error ? err.message : String(err));
}

function dedupeByPath(files: ScannedFile[]): ScannedFile[] {
  return files.filter((f, i) => i === 0 || files[i - 1]!.path !== f.path);
}
