// The file the loupe's 100 % shows for an image, found by image id only: one of the image's catalogued locations,
// still the same file (size and mtime as at ingest), when a browser can show its format; else a full-size conversion
// made in a worker and cached in the library, with a pixel cap and a cache budget.
import { mkdirSync, readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import type { OriginalForDisplay } from '../../../src-shared/api/catalog';
import { BROWSER_IMAGE_FORMATS, ORIGINAL_DISPLAY_CACHE_BYTES, ORIGINAL_DISPLAY_MAX_PIXELS } from '../../../src-shared/defaults';
import { IMAGE_FORMATS } from '../../../src-shared/model';
import { parseRow, parseRows } from '../catalog/parse-rows';
import { WorkerPool } from '../concurrency/worker-pool';
import { SporeprintError } from '../errors';
import type { DisplayConversion, DisplayConversionTask } from '../imaging/convert-for-display';
import type { LibraryContext } from '../library-context';

/** Converted originals, by sha256 (a file per picture, whatever its locations). */
export const DISPLAY_CACHE_DIR = path.join('cache', 'display');

const CONTENT_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

const imageRow = z.object({ sha256: z.string(), format: z.enum(IMAGE_FORMATS), width: z.number().int(), height: z.number().int() });
const locationRow = z.object({ path: z.string(), size: z.number().int(), mtime_ms: z.number() });

interface DisplayService {
  pool: WorkerPool<DisplayConversionTask, DisplayConversion> | null;
  /** Conversions under way, by target: two loupes opening one TIFF wait for one conversion. */
  running: Map<string, Promise<DisplayConversion>>;
}

export async function originalForDisplay(ctx: LibraryContext, imageId: number): Promise<OriginalForDisplay> {
  const image = parseRow(
    imageRow,
    ctx.db.prepare(`SELECT sha256, format, width, height FROM image WHERE id = ?`).get(imageId),
    'image for display',
  );
  if (!image) throw new SporeprintError('NOT_FOUND', `image ${imageId} does not exist`);
  const source = unchangedLocation(ctx, imageId);
  const { width, height } = image;
  if ((BROWSER_IMAGE_FORMATS as readonly string[]).includes(image.format)) {
    return { path: source.path, contentType: CONTENT_TYPES[image.format]!, size: source.size, converted: false, width, height };
  }
  if (width * height > ORIGINAL_DISPLAY_MAX_PIXELS) {
    throw new SporeprintError(
      'TOO_MANY_PIXELS',
      `image ${imageId} is ${width}×${height} (${((width * height) / 1e6).toFixed(0)} MP) ${image.format.toUpperCase()}, over the ${ORIGINAL_DISPLAY_MAX_PIXELS / 1e6} MP converted for 100 %: the loupe shows its 1280 px preview`,
      source.path,
    );
  }
  return convertedCopy(ctx, image.sha256, source.path, width, height);
}

/** The first location that is still the file ingested (a file edited or replaced since is another picture). */
function unchangedLocation(ctx: LibraryContext, imageId: number): { path: string; size: number } {
  const locations = parseRows(
    locationRow,
    ctx.db.prepare(`SELECT path, size, mtime_ms FROM location WHERE image_id = ? ORDER BY id`).all(imageId),
    'image location',
  );
  const reasons: string[] = [];
  for (const loc of locations) {
    try {
      const stat = statSync(loc.path);
      if (!stat.isFile()) reasons.push(`${loc.path} is no longer a file`);
      else if (stat.size !== loc.size || stat.mtimeMs !== loc.mtime_ms) reasons.push(`${loc.path} changed since it was ingested`);
      else return { path: loc.path, size: stat.size };
    } catch (err) {
      reasons.push(`${loc.path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : (err as Error).message}`);
    }
  }
  throw new SporeprintError(
    'NOT_FOUND',
    `image ${imageId}: no original to show at 100 % (${reasons.join('; ') || 'it has no known location'}); re-ingest its folder`,
  );
}

async function convertedCopy(
  ctx: LibraryContext,
  sha256: string,
  source: string,
  width: number,
  height: number,
): Promise<OriginalForDisplay> {
  const dir = displayCacheDir(ctx);
  for (const [ext, contentType] of [
    ['jpg', 'image/jpeg'],
    ['png', 'image/png'],
  ] as const) {
    const cached = path.join(dir, `${sha256}.${ext}`);
    try {
      const stat = statSync(cached);
      // Touched on every look, so the budget removes the least recently shown first.
      const now = new Date();
      utimesSync(cached, now, now);
      return { path: cached, contentType, size: stat.size, converted: true, width, height };
    } catch {
      // not cached in this format
    }
  }
  mkdirSync(dir, { recursive: true });
  const service = ctx.service<DisplayService>(
    'images.display',
    () => ({ pool: null, running: new Map() }),
    (s) => s.pool?.close(),
  );
  const target = path.join(dir, sha256);
  let running = service.running.get(target);
  if (!running) {
    service.pool ??= new WorkerPool<DisplayConversionTask, DisplayConversion>('display-worker', 1);
    running = service.pool.run({ source, target }).finally(() => service.running.delete(target));
    service.running.set(target, running);
  }
  let result: DisplayConversion;
  try {
    result = await running;
  } catch (err) {
    if (err instanceof SporeprintError) throw err;
    throw new SporeprintError('CORRUPT_IMAGE', `cannot convert it for display at 100 %: ${(err as Error).message}`, source);
  }
  keepWithinBudget(dir, result.path);
  return { path: result.path, contentType: `image/${result.format}`, size: result.size, converted: true, width, height };
}

/** A reader's library is not ours to write: its conversions go to a per-library folder in the system's temp. */
function displayCacheDir(ctx: LibraryContext): string {
  if (!ctx.readOnlyReason) return path.join(ctx.dir, DISPLAY_CACHE_DIR);
  const name = Buffer.from(path.resolve(ctx.dir)).toString('base64url').slice(-48);
  return path.join(os.tmpdir(), 'sporeprint-display', name);
}

/** Removes the least recently shown conversions until the folder fits ORIGINAL_DISPLAY_CACHE_BYTES (`keep` stays). */
function keepWithinBudget(dir: string, keep: string): void {
  const files = readdirSync(dir)
    .filter((n) => /\.(jpg|png)$/.test(n))
    .map((n) => {
      const full = path.join(dir, n);
      const stat = statSync(full, { throwIfNoEntry: false });
      return { full, size: stat?.size ?? 0, at: stat?.mtimeMs ?? 0 };
    })
    .sort((a, b) => a.at - b.at);
  let total = files.reduce((sum, f) => sum + f.size, 0);
  for (const f of files) {
    if (total <= ORIGINAL_DISPLAY_CACHE_BYTES) break;
    if (f.full === keep) continue;
    unlinkSync(f.full);
    total -= f.size;
  }
}
