// The resumable ingest job: scan, skip what is unchanged, process the rest in worker threads, and
// commit each file (image, location, label, follow-up, checkpoint) in one transaction so a kill loses nothing.
import { rm } from 'node:fs/promises';
import type { Db } from '../catalog/database';
import { FollowupQueue } from '../catalog/image-followups';
import { parseOptionalId } from '../catalog/parse-rows';
import { ImageWriter } from './image-writer';
import { WorkerCrashError, WorkerPool } from '../concurrency/worker-pool';
import { DECODER_CRASH_LIMIT } from '../../../src-shared/defaults';
import { SporeprintError } from '../errors';
import type { DecodeResult, DecodeTask, KnownContentAnswer, KnownContentQuestion } from '../imaging/process-image-file';
import { throwIfCancelled, type JobContext } from '../jobs/job-runner';
import { toBlob } from '../vector/vector-store';
import { recordSourceClaim } from '../labels/record-source-claim';
import { ioFault, isDiskFull, isPermanentFileFault } from '../files/io-fault';
import { clearDerivativeGap, removeOrphanDerivatives, verifyDerivatives } from './derivative-repair';
import { errnoInText, FailureStore } from './failure-store';
import { prepareIngest } from './ingest-setup';
import { IngestLicenseDefault, replaceIngestDefault, type DefaultLicense } from '../licenses/ingest-default';
import { applySidecarUpdates, sidecarUpdatesForUnchangedFiles } from './refresh-claims';
import { RejectionStore } from './rejection-store';
import type { ScannedFile, SkippedPath } from './scan-files';
import type { ResolvedClaim } from './source-claims';
import { removeStaleTempDirs, runTempDir } from './temp-folders';

export interface IngestParams {
  paths: string[];
  limit?: number;
  workers: number;
  maxFileBytes: number;
  /** Tries again files rejected before even when unchanged since (`ingest --retry-rejected`). */
  retryRejected?: boolean;
  /**
   * Checks the library's own files as well: rebuilds missing derivatives from their originals and removes the
   * derivative folders of a killed run (the `ingest` command; not the ingests inside fetch-hq or import-dwca).
   */
  verifyLibrary?: boolean;
  /** ingest --license: given to photos that carry none (never replacing a sidecar's or source's). */
  defaultLicense?: DefaultLicense;
}

/** How many skipped paths a result lists by name (all are counted). */
const MAX_LISTED_SKIPS = 200;

export interface IngestResult extends Record<string, unknown> {
  scanned: number;
  unchanged: number;
  added: number;
  /** Files whose content was already catalogued: a new location, no image work. */
  copies: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /** Files not finished for a reason around them (ENOSPC, EACCES, EIO, vanished, crashed worker): retried next run. */
  failed: number;
  failedByReason: Record<string, number>;
  /** Of `unchanged`: files rejected before and unchanged since (not tried again without --retry-rejected). */
  previouslyRejected: number;
  /** Paths the scan could not use (unreadable folder or sidecar, vanished file, broken symlink, non-UTF-8 name). */
  skipped: number;
  skippedPaths: SkippedPath[];
  /** Unchanged images whose missing derivative files were rebuilt from their original. */
  derivativesRebuilt: number;
  /** Images whose derivative files are missing and whose original is nowhere to be read. */
  derivativesUnrecoverable: number;
  sidecars: number;
  /** Unchanged images that a new or edited sidecar told something the catalogue did not know (no image work). */
  claimsUpdated: number;
  /** Images that took ingest --license because they carried no licence. */
  licensed: number;
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
  if (params.verifyLibrary) await removeOrphanDerivatives(db, libraryDir);
  const tempDir = runTempDir(libraryDir, ctx.jobId);

  const setup = await prepareIngest(db, libraryDir, params);
  const { files, claims, classified } = setup;
  const repairs = params.verifyLibrary
    ? await verifyDerivatives(db, libraryDir, classified.unchanged)
    : { rebuildFrom: [], unrecoverable: 0, gapShas: new Set<string>() };

  const result: IngestResult = {
    scanned: setup.counts.scanned,
    unchanged: setup.counts.unchanged,
    added: 0,
    copies: 0,
    rejected: 0,
    rejectedByReason: {},
    failed: 0,
    failedByReason: {},
    previouslyRejected: setup.counts.previouslyRejected,
    skipped: setup.skipped.length,
    skippedPaths: setup.skipped.slice(0, MAX_LISTED_SKIPS),
    derivativesRebuilt: 0,
    derivativesUnrecoverable: repairs.unrecoverable,
    sidecars: setup.counts.sidecars,
    claimsUpdated: 0,
    licensed: 0,
    imageIds: [],
  };
  const rejections = new RejectionStore(db, ctx.jobId);
  const failures = new FailureStore(db, ctx.jobId);
  failures.forgetVanished(params.paths, new Set(files.map((f) => f.path)));
  const reject = (file: { path: string; size: number; mtimeMs: number }, err: SporeprintError) => {
    db.transaction(() => {
      rejections.record(file, err);
      failures.clear(file.path);
      ctx.store.setItemStatus(ctx.jobId, file.path, 'rejected', err.code);
    })();
    result.rejected++;
    result.rejectedByReason[err.code] = (result.rejectedByReason[err.code] ?? 0) + 1;
  };
  // A fault around the file: recorded apart, never a reason to skip the file next time.
  const fail = (file: { path: string; size: number; mtimeMs: number }, err: SporeprintError) => {
    try {
      db.transaction(() => {
        failures.record(file, err);
        ctx.store.setItemStatus(ctx.jobId, file.path, 'failed', err.code);
      })();
    } catch (recordErr) {
      // The catalogue's own disk is full: nothing can be written, and the file is retried next run regardless.
      if (!isDiskFull(recordErr)) throw recordErr;
    }
    result.failed++;
    const reason = errnoInText(err.reason) ?? err.code;
    result.failedByReason[reason] = (result.failedByReason[reason] ?? 0) + 1;
  };
  // A file may kill its worker every time it is decoded: counted per file, and after DECODER_CRASH_LIMIT crashes on
  // unchanged bytes it is rejected as a fault of its own (--retry-rejected tries it again) instead of retried forever.
  const crashed = (file: { path: string; size: number; mtimeMs: number }, err: WorkerCrashError) => {
    let crashes = 0;
    try {
      crashes = failures.recordCrash(file, err);
    } catch (recordErr) {
      if (!isDiskFull(recordErr)) throw recordErr;
    }
    if (crashes < DECODER_CRASH_LIMIT) return fail(file, err);
    reject(file, new SporeprintError('CORRUPT_IMAGE', `crashed the decoder ${crashes} times (the last: ${err.reason})`, file.path));
  };
  let diskFull: SporeprintError | null = null;

  // Largest files first: with several workers, a big photo started last would leave the others idle
  // at the end (longest-processing-time-first scheduling). Results do not depend on the order.
  const rebuild = new Set(repairs.rebuildFrom.map((f) => f.path));
  const rebuiltFromCopy = new Set<string>();
  const work = [...classified.toProcess, ...repairs.rebuildFrom].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  ctx.store.addItems(ctx.jobId, [...work.map((f) => f.path), ...claims.invalid.map((i) => i.path), ...setup.skipped.map((s) => s.path)]);
  for (const skip of setup.skipped) ctx.store.setItemStatus(ctx.jobId, skip.path, 'skipped', skip.reason);
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
  const defaultLicense = params.defaultLicense ? new IngestLicenseDefault(db, params.defaultLicense) : null;
  // Photos catalogued by an earlier run take the licence too: that is the point of re-running with --license.
  if (defaultLicense) fillUnchangedLicenses(db, defaultLicense, classified.unchanged);
  const inFlight = new Map<string, Promise<void>>();
  const pool = new WorkerPool<DecodeTask, DecodeResult>('decode-worker', Math.min(params.workers, Math.max(1, work.length)), {
    libraryDir,
    tempDir,
  });

  const commit = (file: ScannedFile, outcome: DecodeResult) => {
    if (rebuild.has(file.path)) {
      // The original of an unchanged image: only its derivative files were written again.
      db.transaction(() => {
        clearDerivativeGap(db, outcome.sha256);
        failures.clear(file.path);
        ctx.store.setItemStatus(ctx.jobId, file.path, 'done', 'derivatives rebuilt');
      })();
      result.derivativesRebuilt++;
      return;
    }
    const claim = deps.claimFor?.(file.path, outcome.sha256) ?? claims.resolve(file.path, outcome.sha256);
    const imageId = db.transaction(() => {
      let id = writer.findIdBySha(outcome.sha256);
      const isNew = id === undefined && outcome.analysis !== null;
      if (id === undefined) {
        if (!outcome.analysis) throw new Error(`internal: ${outcome.sha256} reported known but is not catalogued`);
        id = writer.insertImage(outcome.sha256, outcome.size, outcome.analysis, claim.provenance);
        followups.add(id, toBlob(outcome.analysis.descriptor));
      } else {
        // A copy read after one that took the --license default may carry its own licence (its sidecar's).
        replaceIngestDefault(db, id, claim.provenance);
        writer.addProvenance(id, claim.provenance);
      }
      writer.upsertLocation(id, file.path, file.size, file.mtimeMs);
      if (claim.label) recordSourceClaim(db, id, claim.label);
      defaultLicense?.fill(id);
      rejections.clear(file.path);
      failures.clear(file.path);
      ctx.store.setItemStatus(ctx.jobId, file.path, 'done', isNew ? 'added' : 'copy');
      if (isNew) result.added++;
      else result.copies++;
      if (rebuiltFromCopy.has(outcome.sha256)) {
        clearDerivativeGap(db, outcome.sha256);
        result.derivativesRebuilt++;
        result.derivativesUnrecoverable--;
      }
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
        { path: file.path, ...(rebuild.has(file.path) ? { rebuildDerivatives: true } : {}) },
        {
          onAsk: async (question): Promise<KnownContentAnswer> => {
            const { sha256 } = question as KnownContentQuestion;
            // Two copies of new content in one run: the second waits for the first, then is a copy.
            while (inFlight.has(sha256)) await inFlight.get(sha256);
            if (writer.findIdBySha(sha256) !== undefined) {
              // Catalogued, but its derivatives are missing and its old location is gone: this copy rebuilds them.
              if (!repairs.gapShas.delete(sha256)) return { known: true };
              rebuiltFromCopy.add(sha256);
            }
            claimedSha = sha256;
            inFlight.set(sha256, new Promise<void>((resolve) => (release = resolve)));
            return { known: false };
          },
        },
      );
      commit(file, outcome);
    } catch (err) {
      if (err instanceof SporeprintError && err.code === 'CANCELLED') throw err;
      if (isDiskFull(err)) {
        const fault = ioFault(err, file.path, 'ingest the file');
        fail(file, fault);
        diskFull ??= fault;
      } else if (err instanceof WorkerCrashError) crashed(file, err);
      else if (!(err instanceof SporeprintError)) throw err;
      else if (isPermanentFileFault(err.code)) reject(file, err);
      else fail(file, err);
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
      while (next < work.length && !diskFull) {
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
  result.licensed = defaultLicense?.applied ?? 0;
  if (diskFull) throw diskFullStop(diskFull, libraryDir, work.length - done, result);
  return result;
}

/** One clear message instead of a rejection per remaining file: nothing was rejected, the next run goes on. */
function diskFullStop(first: SporeprintError, libraryDir: string, notTried: number, result: IngestResult): SporeprintError {
  return new SporeprintError(
    'DISK_FULL',
    `the disk is full (${first.reason}); the ingest stopped after adding ${result.added} image(s), ` +
      `${notTried} file(s) not tried and ${result.failed} to retry. Nothing was rejected for it: free space on the disk ` +
      `holding the library and run the ingest again`,
    libraryDir,
  );
}

/** One transaction per image, like every ingest write. */
function fillUnchangedLicenses(db: Db, defaultLicense: IngestLicenseDefault, files: readonly ScannedFile[]): void {
  const imageAt = db.prepare(`SELECT image_id FROM location WHERE path = ?`).pluck();
  for (const file of files) {
    const id = parseOptionalId(imageAt.get(file.path), 'image at path');
    if (id !== undefined) db.transaction(() => defaultLicense.fill(id))();
  }
}
