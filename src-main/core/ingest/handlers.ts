// API handlers of the ingest domain.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import { rescoreQuality } from '../imaging/rescore-quality';
import { LIBRARY_CLOSING, type JobContext } from '../jobs/job-runner';
import type { LibraryContext } from '../library-context';
import type { DefaultLicense } from '../licenses/ingest-default';
import { defaultAuthor, requireMyPhotos } from '../licenses/my-photos';
import { licenseIdFromInput } from '../licenses/set-licenses';
import { runIngest } from './ingest-job';
import { planIngest } from './plan-ingest';
import path from 'node:path';

const paramsKey = (p: unknown) => JSON.stringify([...((p as { paths?: string[] }).paths ?? [])].sort());

export const ingestHandlers: Handlers<'ingest.start' | 'ingest.plan'> = {
  'ingest.start': (ctx, input) => {
    const paths = resolveExistingPaths(input.paths);
    const params = {
      paths,
      ...(input.limit !== undefined ? { limit: input.limit } : {}),
      workers: input.workers ?? os.availableParallelism(),
      maxFileBytes: ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
      retryRejected: input.retryRejected,
      verifyLibrary: true,
      ...defaultLicenseParam(ctx, input),
    };
    // Resuming continues the checkpoint of the last unfinished ingest of the same folders.
    const resumeId = input.resume ? ctx.jobs.store.findInterrupted('ingest', paramsKey, paramsKey(params)) : undefined;
    const jobId = ctx.jobs.start(
      'ingest',
      params,
      async (job) => {
        let result;
        try {
          result = await runIngest(job, { db: ctx.db, libraryDir: ctx.dir }, params);
        } catch (err) {
          // A cancelled or failed run still gives the images it committed their vectors and clusters.
          await completeFollowupsAfterStop(ctx, job);
          throw err;
        }
        // A library scored by older quality formulas catches up here, so old and new images rank alike.
        const qualityRescored = await rescoreQuality(ctx.db, ctx.dir, { signal: job.signal });
        // Other domains (clusters, embeddings) extend the catalogue for the new images, inside this job.
        await ctx.completeFollowups(job);
        const rescored = qualityRescored.fromOriginal + qualityRescored.fromDerivative;
        if (result.added || result.copies || result.claimsUpdated || rescored) ctx.emit('catalog.changed', { reason: 'ingest' });
        return rescored || qualityRescored.skipped ? { ...result, qualityRescored } : result;
      },
      resumeId,
    );
    return { jobId };
  },
  'ingest.plan': (ctx, input) =>
    planIngest(ctx.db, ctx.dir, {
      paths: resolveExistingPaths(input.paths),
      limit: input.limit,
      retryRejected: input.retryRejected,
      maxFileBytes: ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
    }),
};

/**
 * Finishes the follow-up queue of a run that stopped early, on a signal of its own (the job's has fired when it
 * was cancelled). Not while the library closes: the queue stays in the catalogue for the next run. A failure
 * here is logged; the run's own error is the one the job reports.
 */
async function completeFollowupsAfterStop(ctx: LibraryContext, job: JobContext): Promise<void> {
  if (job.signal.aborted && job.signal.reason === LIBRARY_CLOSING) return;
  try {
    const finished = await ctx.completeFollowups({ ...job, signal: new AbortController().signal });
    if (finished > 0) ctx.emit('catalog.changed', { reason: 'ingest' });
  } catch (err) {
    ctx.log.error({ err, jobId: job.jobId }, `follow-up work after a stopped ingest failed; the next run finishes it`);
  }
}

/** ingest --license/--attribution/--mine, checked before the job starts (an unknown licence is refused at once). */
function defaultLicenseParam(
  ctx: LibraryContext,
  input: { license?: string | undefined; attribution?: string | undefined; mine: boolean; author?: string | undefined },
): { defaultLicense?: DefaultLicense } {
  const mine = input.mine ? requireMyPhotos(ctx) : null;
  const license = input.license ?? mine?.license;
  if (!license) {
    if (input.attribution) throw new SporeprintError('INVALID_INPUT', '--attribution needs --license (or --mine) with it');
    return {};
  }
  return {
    defaultLicense: {
      license: licenseIdFromInput(license),
      attribution: input.attribution ?? mine?.attribution ?? null,
      author: input.author ?? defaultAuthor(ctx),
    },
  };
}

/** Absolute paths, refusing at once (before any job starts) a path that does not exist. */
function resolveExistingPaths(paths: string[]): string[] {
  return paths.map((p) => {
    const absolute = path.resolve(p);
    if (!existsSync(absolute)) throw new SporeprintError('NOT_FOUND', 'no such file or folder', absolute);
    return absolute;
  });
}
