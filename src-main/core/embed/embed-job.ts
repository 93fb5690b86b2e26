// The resumable backfill: embeds every image that lacks a vector for the descriptor and the active model.
import type { LibraryContext } from '../library-context';
import { imagesMissingVectors } from '../vector/vector-store';
import { indexes } from '../vector/index-registry';
import { DESCRIPTOR_MODEL_ID } from './descriptor-provider';
import { embedAndStore } from './embed-images';
import type { ImageEmbeddingProvider } from './provider';
import { providers } from './provider-registry';

const paramsKey = (p: unknown) => String((p as { modelId?: string }).modelId ?? '');

/** Which providers a backfill fills: the descriptor always, plus the given model or the active one. */
async function backfillProviders(ctx: LibraryContext, modelId: string | undefined): Promise<ImageEmbeddingProvider[]> {
  const registry = providers(ctx);
  const list: ImageEmbeddingProvider[] = [registry.descriptorProvider()];
  const extra = modelId ? await registry.get(modelId) : await registry.textProvider();
  if (extra && extra.modelId !== DESCRIPTOR_MODEL_ID) list.push(extra);
  return list;
}

export async function startEmbedJob(ctx: LibraryContext, modelId: string | undefined): Promise<number> {
  // Resolve (and load) the model before the job exists, so "no such model" is an error, not a failed job.
  const list = await backfillProviders(ctx, modelId);
  const params = { modelId: modelId ?? list[list.length - 1]!.modelId };
  // The missing-vector query is the checkpoint: a resumed or repeated job only embeds what is still missing.
  const resumeId = ctx.jobs.store.findInterrupted('embed', paramsKey, paramsKey(params));
  return ctx.jobs.start(
    'embed',
    params,
    async (job) => {
      const work = list.map((provider) => ({ provider, ids: imagesMissingVectors(ctx.db, provider.modelId).map((r) => r.id) }));
      const total = work.reduce((s, w) => s + w.ids.length, 0);
      let before = 0;
      const result: Record<string, unknown> = { models: {} as Record<string, unknown> };
      job.progress(0, total);
      for (const { provider, ids } of work) {
        const batchSize = provider.kind === 'descriptor' ? 32 : ctx.config.IMAGE_BATCH_SIZE;
        const outcome = await embedAndStore(ctx, provider, ids, {
          batchSize,
          signal: job.signal,
          onProgress: (done) => job.progress(before + done, total),
        });
        before += ids.length;
        if (ids.length) await (await indexes(ctx).get(provider.modelId)).save();
        (result.models as Record<string, unknown>)[provider.modelId] = {
          embedded: outcome.embedded,
          failed: outcome.failed.length,
          errors: outcome.failed.slice(0, 20),
        };
      }
      result.clipModel = list.length > 1 ? list[list.length - 1]!.modelId : null;
      return result;
    },
    resumeId,
  );
}
