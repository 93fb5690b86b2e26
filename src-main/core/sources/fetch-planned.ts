// Downloads the planned remote files of a job into originals/, drops duplicates (SHA-256, then perceptual
// hash against the catalogue and the batch), and ingests the rest with their source claims.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { FetchCountsSummary } from '../../../src-shared/api/sources';
import { hammingDistanceHex } from '../catalog/hamming';
import { SporeprintError } from '../errors';
import { failureOf } from '../ingest/failure-store';
import { runIngest } from '../ingest/ingest-job';
import type { ResolvedClaim } from '../ingest/source-claims';
import { throwIfCancelled, type JobContext } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import { ORIGINALS_DIR } from '../library-paths';
import type { HttpClient } from '../net/http-client';
import { perceptualHashOfFile } from './near-duplicate-hash';
import type { FetchRow, SourceStore } from './source-store';

export type FetchCounts = FetchCountsSummary;

export function emptyCounts(): FetchCounts {
  return { downloaded: 0, ingested: 0, duplicates: 0, nearDuplicates: 0, rejected: 0, failed: 0, imageIds: [] };
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/tiff': '.tif',
  'image/gif': '.gif',
  'image/avif': '.avif',
  'image/heic': '.heic',
};
const URL_EXTENSION = /\.(jpe?g|png|webp|tiff?|gif|avif|heic)$/i;

/** originals/<source>/<taxon>/<hash of url><ext>: stable, so a resumed download lands on the same name. */
export function originalPathOf(libraryDir: string, row: Pick<FetchRow, 'url' | 'source' | 'taxon'>): string {
  const folder = (row.taxon ?? 'unnamed').replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 80) || 'unnamed';
  const name = createHash('sha256').update(row.url).digest('hex').slice(0, 24);
  let ext = '';
  try {
    ext = URL_EXTENSION.exec(new URL(row.url).pathname)?.[0]?.toLowerCase() ?? '';
  } catch {
    ext = '';
  }
  return path.join(libraryDir, ORIGINALS_DIR, row.source, folder, `${name}${ext}`);
}

export function claimOfRow(row: FetchRow): ResolvedClaim {
  return {
    label:
      row.taxon && row.rank ? { taxon: row.taxon, rank: row.rank, evidence: { source: `${row.source}:${row.page_url ?? row.url}` } } : null,
    provenance: { license: row.license, attribution: row.attribution, sourceUrl: row.url, observationGroup: row.observation_group },
  };
}

export interface FetchDeps {
  ctx: LibraryContext;
  store: SourceStore;
  clientOf: (row: FetchRow) => HttpClient;
  /** The catalog.changed reason this job reports. */
  reason: string;
  /** Called as each file finishes (downloaded, skipped or failed). */
  onFileDone?: () => void;
  /**
   * fetch-hq: a download whose long edge is below this (its size was unknown before) is refused for good, so an
   * HQ gap is never filled with a photo that cannot close it.
   */
  minLongEdge?: number;
}

/** Long edge from the file's header (no decode); null when the header cannot be read (ingest will say why). */
async function longEdgeOfFile(file: string): Promise<number | null> {
  try {
    const { width, height } = await sharp(file).metadata();
    return width && height ? Math.max(width, height) : null;
  } catch {
    return null;
  }
}

/** Downloads every 'planned' row of the job; keeps each new, distinct file as 'downloaded'. */
export async function downloadPlanned(job: JobContext, deps: FetchDeps, counts: FetchCounts): Promise<void> {
  const { ctx, store } = deps;
  const threshold = ctx.config.DUPLICATE_THRESHOLD;
  // Files downloaded in this batch but not yet ingested are invisible to the catalogue query.
  const batchHashes = store
    .rowsOfJob(job.jobId, 'downloaded')
    .map((r) => r.detail)
    .filter((d): d is string => !!d && /^[0-9a-f]{16}$/.test(d));
  const batchShas = new Set(
    store
      .rowsOfJob(job.jobId, 'downloaded')
      .map((r) => r.sha256)
      .filter((x): x is string => !!x),
  );
  const fetchOne = async (row: FetchRow): Promise<void> => {
    throwIfCancelled(job.signal);
    const client = deps.clientOf(row);
    const key = `url:${row.url}`;
    let destination = originalPathOf(ctx.dir, row);
    try {
      await mkdir(path.dirname(destination), { recursive: true });
      const result = await client.download(row.url, destination, job.signal);
      if (!path.extname(destination) && result.contentType) {
        const ext = EXTENSIONS[result.contentType.split(';')[0]!.trim().toLowerCase()];
        if (ext) {
          await rename(destination, destination + ext);
          destination += ext;
        }
      }
      if (deps.minLongEdge !== undefined) {
        const edge = await longEdgeOfFile(destination);
        if (edge !== null && edge < deps.minLongEdge) {
          await rm(destination, { force: true });
          const detail = `below the HQ size: long edge ${edge} px < ${deps.minLongEdge} px`;
          store.mark(row.url, 'rejected', { sha256: result.sha256, detail });
          job.store.setItemStatus(job.jobId, key, 'skipped', detail);
          counts.rejected++;
          return;
        }
      }
      const known = store.imageIdBySha(result.sha256);
      if (known !== undefined || batchShas.has(result.sha256)) {
        await rm(destination, { force: true });
        store.mark(row.url, 'duplicate', {
          sha256: result.sha256,
          ...(known !== undefined ? { imageId: known } : {}),
          detail: known !== undefined ? `same content as image ${known}` : 'same content as another download',
        });
        job.store.setItemStatus(job.jobId, key, 'skipped', 'duplicate');
        counts.duplicates++;
        return;
      }
      const phash = await perceptualHashOfFile(destination);
      const near = store.nearDuplicateOf(phash, threshold);
      const nearInBatch = batchHashes.some((h) => hammingDistanceHex(h, phash) <= threshold);
      if (near !== undefined || nearInBatch) {
        await rm(destination, { force: true });
        store.mark(row.url, 'near_duplicate', {
          sha256: result.sha256,
          ...(near !== undefined ? { imageId: near } : {}),
          detail: near !== undefined ? `near-duplicate of image ${near}` : 'near-duplicate of another download',
        });
        job.store.setItemStatus(job.jobId, key, 'skipped', 'near_duplicate');
        counts.nearDuplicates++;
        return;
      }
      batchHashes.push(phash);
      batchShas.add(result.sha256);
      // The perceptual hash rides in `detail` until ingest, so a resumed batch still compares against it.
      store.mark(row.url, 'downloaded', { filePath: destination, sha256: result.sha256, detail: phash });
      counts.downloaded++;
    } catch (err) {
      if (err instanceof SporeprintError && err.code === 'CANCELLED') throw err;
      if (job.signal.aborted) throw new SporeprintError('CANCELLED', 'job was cancelled');
      await rm(destination, { force: true });
      const message = err instanceof Error ? err.message : String(err);
      const refused = err instanceof SporeprintError && err.code === 'CORRUPT_IMAGE';
      store.mark(row.url, refused ? 'rejected' : 'failed', { detail: message });
      job.store.setItemStatus(job.jobId, key, refused ? 'rejected' : 'failed', message.slice(0, 500));
      if (refused) counts.rejected++;
      else counts.failed++;
    } finally {
      deps.onFileDone?.();
    }
  };

  // One lane per source: each source's rate limit is honoured, and a slow source does not hold up the others.
  const lanes = new Map<string, FetchRow[]>();
  for (const row of store.rowsOfJob(job.jobId, 'planned')) lanes.set(row.source, [...(lanes.get(row.source) ?? []), row]);
  const settled = await Promise.allSettled(
    [...lanes.values()].map(async (rows) => {
      for (const row of rows) await fetchOne(row);
    }),
  );
  // Every lane has stopped before an error leaves this function, so nothing writes after the job ends.
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Ingests every 'downloaded' row of the job through the normal pipeline, with the row's claims. */
export async function ingestDownloaded(job: JobContext, deps: FetchDeps, counts: FetchCounts): Promise<void> {
  const { ctx, store } = deps;
  const rows: FetchRow[] = [];
  for (const row of store.rowsOfJob(job.jobId, 'downloaded')) {
    const exists = row.file_path
      ? await stat(row.file_path).then(
          (s) => s.isFile(),
          () => false,
        )
      : false;
    if (exists) rows.push(row);
    else {
      store.mark(row.url, 'failed', { detail: 'downloaded file disappeared before ingest' });
      job.store.setItemStatus(job.jobId, `url:${row.url}`, 'failed', 'downloaded file disappeared before ingest');
      counts.failed++;
    }
  }
  if (rows.length === 0) return;
  const byPath = new Map(rows.map((r) => [r.file_path!, r]));
  // Ingest reports its own per-file progress; this job reports files fetched instead.
  const quiet: JobContext = { ...job, progress: () => undefined };
  const result = await runIngest(
    quiet,
    { db: ctx.db, libraryDir: ctx.dir, claimFor: (file) => (byPath.has(file) ? claimOfRow(byPath.get(file)!) : null) },
    {
      paths: [...byPath.keys()],
      workers: Math.min(2, os.availableParallelism()),
      maxFileBytes: ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
    },
  );
  const added = new Set(result.imageIds);
  for (const row of rows) {
    const imageId = store.imageIdAtPath(row.file_path!);
    const key = `url:${row.url}`;
    if (imageId !== undefined && added.has(imageId)) {
      store.mark(row.url, 'ingested', { imageId, detail: null });
      job.store.setItemStatus(job.jobId, key, 'done', 'ingested');
      counts.ingested++;
    } else if (imageId !== undefined) {
      // Same content reached the catalogue meanwhile (another copy in this batch): not a new image.
      store.mark(row.url, 'duplicate', { imageId, detail: `same content as image ${imageId}` });
      job.store.setItemStatus(job.jobId, key, 'skipped', 'duplicate');
      counts.duplicates++;
    } else if (failureOf(ctx.db, row.file_path!) !== null) {
      // A fault around the file (disk, permission), not a verdict on it: 'failed' URLs are fetched again later.
      const reason = failureOf(ctx.db, row.file_path!)!;
      await rm(row.file_path!, { force: true });
      store.mark(row.url, 'failed', { detail: reason });
      job.store.setItemStatus(job.jobId, key, 'failed', reason.slice(0, 500));
      counts.failed++;
    } else {
      const reason = store.rejectionOf(row.file_path!);
      await rm(row.file_path!, { force: true });
      store.mark(row.url, 'rejected', { detail: reason ?? 'refused by ingest' });
      job.store.setItemStatus(job.jobId, key, 'rejected', reason ?? 'refused by ingest');
      counts.rejected++;
    }
  }
  counts.imageIds.push(...result.imageIds);
  await ctx.completeFollowups(job);
  if (result.added || result.copies) ctx.emit('catalog.changed', { reason: deps.reason });
}
