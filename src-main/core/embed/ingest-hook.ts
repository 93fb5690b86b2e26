// After images are added: the descriptor vector for each (similar-image search with no model), plus the
// active CLIP or remote model's vector when one is available (registered in domain-hooks.ts).
import { SporeprintError } from '../errors';
import type { ImagesAddedListener, LibraryContext } from '../library-context';
import { indexes } from '../vector/index-registry';
import { fromBlob } from '../vector/vector-store';
import { queuedDescriptors } from '../catalog/image-followups';
import { throwIfCancelled } from '../jobs/job-runner';
import type { DescriptorProvider } from './descriptor-provider';
import { embedAndStore, storeVectors } from './embed-images';
import { providers } from './provider-registry';

export const embedAddedImages: ImagesAddedListener = async (ctx, imageIds, job) => {
  const registry = providers(ctx);
  const descriptor = registry.descriptorProvider();
  await storeDescriptors(ctx, descriptor, imageIds, job.signal);
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
};

const DESCRIPTOR_BATCH = 1000;

/** Stores the descriptor vectors the decode workers computed and queued with each image, in batches. */
async function storeDescriptors(ctx: LibraryContext, descriptor: DescriptorProvider, imageIds: number[], signal: AbortSignal) {
  for (let start = 0; start < imageIds.length; start += DESCRIPTOR_BATCH) {
    throwIfCancelled(signal);
    const queued = queuedDescriptors(ctx.db, imageIds.slice(start, start + DESCRIPTOR_BATCH));
    await storeVectors(
      ctx,
      descriptor,
      queued.map(({ imageId, blob }) => ({ imageId, vector: fromBlob(blob) })),
    );
  }
}
