// The duplicates domain's part after images are added: clusters grow incrementally (registered in domain-hooks.ts).
import type { ImagesAddedListener } from '../library-context';
import { clusterNewImages } from './recluster';

export const clusterAddedImages: ImagesAddedListener = async (context, imageIds, job) => {
  if (imageIds.length > 0) await clusterNewImages(context, imageIds, job.signal);
};
