// Keeps the derivatives folder in step with the catalogue: notices deleted derivative files on a re-scan
// (one readdir per image) and names the originals to rebuild them from, records what cannot be rebuilt, and
// removes the derivative folders a killed run wrote for images it never committed.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DERIVATIVE_FORMATS, DERIVATIVE_NAMES } from '../../../src-shared/defaults';
import type { Db } from '../catalog/database';
import { parseIds, parseTexts } from '../catalog/parse-rows';
import { integer, objectRowChecker, real, text } from '../catalog/row-columns';
import { derivativeDirectory, derivativeRelativePath, DERIVATIVES_DIR } from '../library-paths';
import type { ScannedFile } from './scan-files';

/** File names every image's derivative folder holds (thumb.jpg, thumb.webp ...). */
const EXPECTED_FILES = DERIVATIVE_NAMES.flatMap((size) =>
  DERIVATIVE_FORMATS.map((format) => path.posix.basename(derivativeRelativePath('0'.repeat(64), size, format))),
);

/** Folders read at once: enough to hide latency, few enough to leave file handles for the decode workers. */
const READ_CONCURRENCY = 32;

/** Every image is read on each run: a typeof check per column, not a zod parse (row-columns.ts). */
const checkImageRow = objectRowChecker('image content hash', { id: integer, sha256: text });

export interface DerivativeRepairs {
  /** Originals (catalogued, unchanged) of images with missing derivative files: to be decoded again. */
  rebuildFrom: ScannedFile[];
  /** Images with missing derivative files and no readable original. */
  unrecoverable: number;
  /** Their content hashes: a new or changed file of this run with the same bytes rebuilds them. */
  gapShas: Set<string>;
}

/** Checks every catalogued image's derivative folder; `unchanged` are this scan's files known to be catalogued. */
export async function verifyDerivatives(db: Db, libraryDir: string, unchanged: readonly ScannedFile[]): Promise<DerivativeRepairs> {
  const images = db.prepare(`SELECT id, sha256 FROM image ORDER BY id`).all().map(checkImageRow);
  const missing: { id: number; sha256: string; count: number }[] = [];
  for (let start = 0; start < images.length; start += READ_CONCURRENCY) {
    const batch = images.slice(start, start + READ_CONCURRENCY);
    const counts = await Promise.all(batch.map((image) => missingFileCount(libraryDir, image.sha256)));
    batch.forEach((image, i) => counts[i]! > 0 && missing.push({ ...image, count: counts[i]! }));
  }
  const scanned = new Map(unchanged.map((f) => [f.path, f]));
  const locationsOf = db.prepare(`SELECT path, size, mtime_ms FROM location WHERE image_id = ? ORDER BY path`);
  const rebuildFrom: ScannedFile[] = [];
  const gaps: { id: number; sha256: string; count: number }[] = [];
  for (const image of missing) {
    const source = await readableOriginal(locationsOf.all(image.id).map(checkLocationRow), scanned);
    if (source) rebuildFrom.push(source);
    else gaps.push(image);
  }
  const missingIds = new Set(missing.map((m) => m.id));
  const recordGap = db.prepare(
    `INSERT INTO derivative_gap (image_id, missing) VALUES (?, ?)
     ON CONFLICT(image_id) DO UPDATE SET missing = excluded.missing, checked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  const forget = db.prepare(`DELETE FROM derivative_gap WHERE image_id = ?`);
  const recorded = parseIds(db.prepare(`SELECT image_id FROM derivative_gap`).pluck().all(), 'derivative gap image');
  db.transaction(() => {
    for (const gap of gaps) recordGap.run(gap.id, gap.count);
    // Complete again (rebuilt by hand, or by an earlier run): no longer a gap.
    for (const id of recorded) if (!missingIds.has(id)) forget.run(id);
  })();
  const gapShas = new Set(gaps.map((g) => g.sha256));
  return { rebuildFrom, unrecoverable: gaps.length, gapShas };
}

/** Called once an image's derivatives were written again from its original. */
export function clearDerivativeGap(db: Db, sha256: string): void {
  db.prepare(`DELETE FROM derivative_gap WHERE image_id = (SELECT id FROM image WHERE sha256 = ?)`).run(sha256);
}

const checkLocationRow = objectRowChecker('location of image', { path: text, size: integer, mtime_ms: real });
type LocationRow = ReturnType<typeof checkLocationRow>;

async function missingFileCount(libraryDir: string, sha256: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(path.join(libraryDir, derivativeDirectory(sha256)));
  } catch {
    return EXPECTED_FILES.length;
  }
  const present = new Set(names);
  return EXPECTED_FILES.filter((name) => !present.has(name)).length;
}

/** A location holding the catalogued bytes (same size and mtime): this scan's first, then any other on disk. */
async function readableOriginal(rows: LocationRow[], scanned: ReadonlyMap<string, ScannedFile>): Promise<ScannedFile | null> {
  for (const row of rows) {
    const file = scanned.get(row.path);
    if (file) return file;
  }
  for (const row of rows) {
    try {
      const info = await stat(row.path);
      if (info.isFile() && info.size === row.size && info.mtimeMs === row.mtime_ms)
        return { path: row.path, size: info.size, mtimeMs: info.mtimeMs };
    } catch {
      // Gone or unreadable: try the next copy.
    }
  }
  return null;
}

/**
 * Removes derivative folders of content the catalogue does not hold: written by a run killed (or failed) before
 * its commit. Only folders last changed before this process started: a run of this process may be writing
 * the others right now, and no other process writes here while this one owns the library.
 */
export async function removeOrphanDerivatives(db: Db, libraryDir: string): Promise<number> {
  const root = path.join(libraryDir, DERIVATIVES_DIR);
  const startedAt = Date.now() - process.uptime() * 1000;
  const known = new Set(parseTexts(db.prepare(`SELECT sha256 FROM image`).pluck().all(), 'image content hash'));
  let removed = 0;
  let prefixes: string[];
  try {
    prefixes = (await readdir(root)).filter((name) => /^[0-9a-f]{2}$/.test(name));
  } catch {
    return 0;
  }
  for (const prefix of prefixes) {
    let shas: string[];
    try {
      shas = await readdir(path.join(root, prefix));
    } catch {
      continue;
    }
    for (const sha of shas) {
      if (known.has(sha) || !/^[0-9a-f]{64}$/.test(sha)) continue;
      const folder = path.join(root, prefix, sha);
      const info = await stat(folder).catch(() => null);
      if (!info?.isDirectory() || info.mtimeMs >= startedAt) continue;
      await rm(folder, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
