// After images are added: the descriptor vector for each (similar-image search with no model), plus the
// active CLIP or remote model's vector when one is available.
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
      await embedAndStore(ctx, clip, imageIds, { batchSize: ctx.config.IMAGE_BATCH_SIZE, signal: job.signal });
      await (await indexes(ctx).get(clip.modelId)).save();
    }
  });
}
