// After images are added: the descriptor vector for each (similar-image search with no model), plus the
// active CLIP or remote model's vector when one is available.
import { SporeprintError } from '../errors';
import type { LibraryContext } from '../library-context';
import { indexes } from '../vector/index-registry';
import { embedAndStore } from './embed-images';
import { providers } from './provider-registry';

export function registerEmbeddingHook(ctx: LibraryContext): void {
  ctx.onImagesAdded(async (ctx, imageIds, job) => {
    const registry = providers(ctx);
    const descriptor = registry.descriptorProvider();
    await embedAndStore(ctx, descriptor, imageIds, { batchSize: 32, signal: job.signal });
    await (await indexes(ctx).get(descriptor.modelId)).save();
    const clip = await registry.textProvider();
    if (clip) {
      try {
        await embedAndStore(ctx, clip, imageIds, { batchSize: ctx.config.IMAGE_BATCH_SIZE, signal: job.signal });
      } catch (err) {
        if (!(err instanceof SporeprintError) || err.code === 'CANCELLED') throw err;
        // The images are in; only their vectors are missing. Say so, and how to fill them in later.
        throw new SporeprintError(
          err.code,
          `images were added, but embedding them with ${clip.modelId} failed (${err.message}); run \`sporeprint embed\` when it works again`,
          err.path,
        );
      } finally {
        await (await indexes(ctx).get(clip.modelId)).save();
      }
    }
  });
}
