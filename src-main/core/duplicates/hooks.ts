// Wires the duplicates domain into a library: clusters grow incrementally whenever images are added.
import type { LibraryContext } from '../library-context';
import { clusterNewImages } from './recluster';

export function registerDuplicateHooks(ctx: LibraryContext): void {
  ctx.onImagesAdded(async (context, imageIds, job) => {
    if (imageIds.length > 0) await clusterNewImages(context, imageIds, job.signal);
  });
}
