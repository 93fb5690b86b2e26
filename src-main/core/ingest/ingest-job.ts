// The resumable ingest job: scan, skip what is unchanged, process the rest in worker threads, and
// commit each file (image, location, label, follow-up, checkpoint) in one transaction so a kill loses nothing.
import { rm } from 'node:fs/promises';
import type { Db } from '../catalog/database';
import { FollowupQueue } from '../catalog/image-followups';
import { ImageWriter } from './image-writer';
import { WorkerPool } from '../concurrency/worker-pool';
import { SporeprintError } from '../errors';
import type { DecodeResult, DecodeTask, KnownContentAnswer, KnownContentQuestion } from '../imaging/process-image-file';
import { throwIfCancelled, type JobContext } from '../jobs/job-runner';
import { toBlob } from '../vector/vector-store';
import { recordSourceClaim } from '../labels/record-source-claim';
import { classifyFiles } from './classify-files';
import { applySidecarUpdates, sidecarUpdatesForUnchangedFiles } from './refresh-claims';
import { RejectionStore } from './rejection-store';
import { scanFiles, type ScannedFile } from './scan-files';
import { SourceClaims, type ResolvedClaim } from './source-claims';
import { removeStaleTempDirs, runTempDir } from './temp-folders';

export interface IngestParams {
  paths: string[];
  limit?: number;
  workers: number;
  maxFileBytes: number;
}

export interface IngestResult extends Record<string, unknown> {
  scanned: number;
  unchanged: number;
  added: number;
  /** Files whose content was already catalogued: a new location, no image work. */
  copies: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  sidecars: number;
  /** Unchanged images that a new or edited sidecar told something the catalogue did not know (no image work). */
  claimsUpdated: number;
  imageIds: number[];
}

export interface IngestDeps {
  db: Db;
  libraryDir: string;
  /** Called after each committed file (e.g. to embed new images). */
  onImageAdded?: (imageId: number) => void;
  /** What a caller already knows about a file (an API record, a Darwin Core row); wins over sidecars and folders. */
  claimFor?: (filePath: string, sha256: string) => ResolvedClaim | null;
}

export async function runIngest(ctx: JobContext, deps: IngestDeps, params: IngestParams): Promise<IngestResult> {
  const { db, libraryDir } = deps;
  await removeStaleTempDirs(libraryDir);
  const tempDir = runTempDir(libraryDir, ctx.jobId);

  let files = await scanFiles(params.paths, { exclude: [libraryDir] });
  if (params.limit !== undefined) files = files.slice(0, params.limit);
  const claims = await SourceClaims.load(files);
  const candidates = files.filter((f) => !claims.sidecarFiles.has(f.path));
  const classified = classifyFiles(db, candidates);

  const result: IngestResult = {
    scanned: files.length,
    unchanged: classified.unchanged.length + classified.stillRejected.length,
    added: 0,
    copies: 0,
    rejected: 0,
    rejectedByReason: {},
    sidecars: claims.sidecarFiles.size - claims.invalid.length,
    claimsUpdated: 0,
    imageIds: [],
  };
  const rejections = new RejectionStore(db, ctx.jobId);
  const reject = (file: { path: string; size: number; mtimeMs: number }, err: SporeprintError) => {
    db.transaction(() => {
      rejections.record(file, err);
      ctx.store.setItemStatus(ctx.jobId, file.path, 'rejected', err.code);
    })();
    result.rejected++;
    result.rejectedByReason[err.code] = (result.rejectedByReason[err.code] ?? 0) + 1;
  };

  // Largest files first: with several workers, a big photo started last would leave the others idle
  // at the end (longest-processing-time-first scheduling). Results do not depend on the order.
  const work = [...classified.toProcess].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  ctx.store.addItems(ctx.jobId, [...work.map((f) => f.path), ...claims.invalid.map((i) => i.path)]);
  const sizes = new Map(files.map((f) => [f.path, f]));
  for (const invalid of claims.invalid) reject(sizes.get(invalid.path)!, invalid.error);

  const total = work.length;
  let done = 0;
  ctx.progress(done, total);
  const writer = new ImageWriter(db);
  const followups = new FollowupQueue(db);
  const sidecarUpdates = sidecarUpdatesForUnchangedFiles(db, classified.unchanged, claims);
  applySidecarUpdates(db, writer, sidecarUpdates);
  result.claimsUpdated = sidecarUpdates.length;
  const inFlight = new Map<string, Promise<void>>();
  const pool = new WorkerPool<DecodeTask, DecodeResult>('decode-worker', Math.min(params.workers, Math.max(1, work.length)), {
    libraryDir,
    tempDir,
  });

  const commit = (file: ScannedFile, outcome: DecodeResult) => {
    const claim = deps.claimFor?.(file.path, outcome.sha256) ?? claims.resolve(file.path, outcome.sha256);
    const imageId = db.transaction(() => {
      let id = writer.findIdBySha(outcome.sha256);
      const isNew = id === undefined && outcome.analysis !== null;
      if (id === undefined) {
        if (!outcome.analysis) throw new Error(`internal: ${outcome.sha256} reported known but is not catalogued`);
        id = writer.insertImage(outcome.sha256, outcome.size, outcome.analysis, claim.provenance);
        followups.add(id, toBlob(outcome.analysis.descriptor));
      } else writer.addProvenance(id, claim.provenance);
      writer.upsertLocation(id, file.path, file.size, file.mtimeMs);
      if (claim.label) recordSourceClaim(db, id, claim.label);
      rejections.clear(file.path);
      ctx.store.setItemStatus(ctx.jobId, file.path, 'done', isNew ? 'added' : 'copy');
      if (isNew) result.added++;
      else result.copies++;
      return { id, isNew };
    })();
    if (imageId.isNew) {
      result.imageIds.push(imageId.id);
      deps.onImageAdded?.(imageId.id);
    }
  };

  const processOne = async (file: ScannedFile): Promise<void> => {
    if (file.size === 0) return reject(file, new SporeprintError('EMPTY_FILE', 'file is empty', file.path));
    if (file.size > params.maxFileBytes)
      return reject(
        file,
        new SporeprintError(
          'FILE_TOO_LARGE',
          `${(file.size / 1048576).toFixed(1)} MB exceeds the ${params.maxFileBytes / 1048576} MB limit`,
          file.path,
        ),
      );
    let release: () => void = () => {};
    let claimedSha: string | undefined;
    try {
      const outcome = await pool.run(
        { path: file.path },
        {
          onAsk: async (question): Promise<KnownContentAnswer> => {
            const { sha256 } = question as KnownContentQuestion;
            // Two copies of new content in one run: the second waits for the first, then is a copy.
            while (inFlight.has(sha256)) await inFlight.get(sha256);
            if (writer.findIdBySha(sha256) !== undefined) return { known: true };
            claimedSha = sha256;
            inFlight.set(sha256, new Promise<void>((resolve) => (release = resolve)));
            return { known: false };
          },
        },
      );
      commit(file, outcome);
    } catch (err) {
      if (err instanceof SporeprintError && err.code !== 'CANCELLED') reject(file, err);
      else throw err;
    } finally {
      if (claimedSha) inFlight.delete(claimedSha);
      release();
      done++;
      ctx.progress(done, total);
    }
  };

  try {
    // Keep every worker busy with one queued task behind the running one.
    const concurrency = pool.size * 2;
    let next = 0;
    const lanes = Array.from({ length: Math.min(concurrency, work.length) }, async () => {
      while (next < work.length) {
        throwIfCancelled(ctx.signal);
        await processOne(work[next++]!);
      }
    });
    await Promise.all(lanes);
  } finally {
    await pool.close();
    await rm(tempDir, { recursive: true, force: true });
  }
  ctx.progress(done, total);
  return result;
}
