// API handlers of the ingest domain.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { SporeprintError } from '../errors';
import type { Handlers } from '../handler-types';
import { rescoreQuality } from '../imaging/rescore-quality';
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
    };
    // Resuming continues the checkpoint of the last unfinished ingest of the same folders.
    const resumeId = input.resume ? ctx.jobs.store.findInterrupted('ingest', paramsKey, paramsKey(params)) : undefined;
    const jobId = ctx.jobs.start(
      'ingest',
      params,
      async (job) => {
        const result = await runIngest(job, { db: ctx.db, libraryDir: ctx.dir }, params);
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
      maxFileBytes: ctx.config.IMAGE_MAX_SIZE_MB * 1024 * 1024,
    }),
};

/** Absolute paths, refusing at once (before any job starts) a path that does not exist. */
function resolveExistingPaths(paths: string[]): string[] {
  return paths.map((p) => {
    const absolute = path.resolve(p);
    if (!existsSync(absolute)) throw new SporeprintError('NOT_FOUND', 'no such file or folder', absolute);
    return absolute;
  });
}
