// Walks the given files and folders (recursively) and lists every regular file with its size and mtime.
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { SporeprintError } from '../errors';

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Folders never descended into (the library itself, when it sits inside an ingested folder). */
  exclude?: string[];
}

export async function scanFiles(roots: string[], options: ScanOptions = {}): Promise<ScannedFile[]> {
  const exclude = new Set((options.exclude ?? []).map((p) => path.resolve(p)));
  const out: ScannedFile[] = [];
  for (const root of roots) {
    const absolute = path.resolve(root);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new SporeprintError('NOT_FOUND', 'no such file or folder', absolute);
    }
    if (info.isDirectory()) await walk(absolute, exclude, out);
    else if (info.isFile()) out.push({ path: absolute, size: info.size, mtimeMs: info.mtimeMs });
  }
  // Sorted so that --limit and resumption see the same order on every run.
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return dedupeByPath(out);
}

async function walk(dir: string, exclude: Set<string>, out: ScannedFile[]): Promise<void> {
  if (exclude.has(dir)) return;
  const entries = await readdir(dir, { withFileTypes: true });
  const files: Promise<void>[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, exclude, out);
    else if (entry.isFile())
      files.push(
        lstat(full).then((s) => {
          out.push({ path: full, size: s.size, mtimeMs: s.mtimeMs });
        }),
      );
  }
  await Promise.all(files);
}

function dedupeByPath(files: ScannedFile[]): ScannedFile[] {
  return files.filter((f, i) => i === 0 || files[i - 1]!.path !== f.path);
}
