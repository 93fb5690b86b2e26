// API handlers of near-duplicate review: list clusters (a pure read, previewing another threshold in memory),
// record decisions, and the explicit job that puts a new threshold in force.
import type { DuplicateDecision } from '../../../src-shared/api/duplicates';
import type { Handlers } from '../handler-types';
import type { LibraryContext } from '../library-context';
import { SporeprintError } from '../errors';
import { listClusters, pageOfOutlines } from './cluster-queries';
import { clusterIdOf, readStoredThreshold, recordDecision } from './duplicate-store';
import { clusterNewImages, currentThreshold, previewClusters, reclusterAll } from './recluster';

export const duplicatesHandlers: Handlers<'duplicates.clusters' | 'duplicates.decide' | 'duplicates.applyThreshold'> = {
  'duplicates.clusters': async (ctx, input) => {
    const threshold = input.threshold ?? currentThreshold(ctx);
    if (readStoredThreshold(ctx.db) === threshold) return { threshold, preview: false, ...listClusters(ctx.db, input) };
    return { threshold, preview: true, ...pageOfOutlines(ctx.db, await previewClusters(ctx, threshold), input) };
  },
  'duplicates.decide': async (ctx, input) => {
    await applyDecision(ctx, input);
    ctx.emit('catalog.changed', { reason: 'duplicates' });
    return { ok: true as const };
  },
  'duplicates.applyThreshold': async (ctx, input) => {
    const jobId = ctx.jobs.start('duplicates-threshold', input, async (job) => {
      job.progress(0, 1);
      const result = await reclusterAll(ctx, input.threshold, job.signal);
      job.progress(1, 1);
      ctx.emit('catalog.changed', { reason: 'duplicates' });
      return { ...result };
    });
    return { jobId };
  },
};

/** Stores the decision (keyed by image ids, so it outlives cluster ids) and rebuilds the clusters it touches. */
export async function applyDecision(ctx: LibraryContext, decision: DuplicateDecision): Promise<void> {
  const ids = 'imageId' in decision ? [decision.imageId] : [decision.imageA, decision.imageB];
  for (const id of ids) {
    if (!ctx.db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(id)) throw new SporeprintError('NOT_FOUND', `image ${id} does not exist`);
  }
  if (decision.action === 'not_duplicate' || decision.action === 'merge') {
    if (decision.imageA === decision.imageB) throw new SporeprintError('INVALID_INPUT', `${decision.action} needs two different images`);
  }
  if (
    (decision.action === 'keep' || decision.action === 'set_representative' || decision.action === 'resolve') &&
    clusterIdOf(ctx.db, decision.imageId) === null
  ) {
    throw new SporeprintError('INVALID_INPUT', `image ${decision.imageId} is not in a duplicate cluster`);
  }
  recordDecision(ctx.db, decision.action, ids[0]!, ids[1] ?? null);
  if (decision.action === 'keep') return;
  // Everything else may change membership, the representative or the resolved flag of the clusters involved.
  await clusterNewImages(ctx, ids);
}
