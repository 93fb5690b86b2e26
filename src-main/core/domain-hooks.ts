// Wires domains that react to catalogue changes (e.g. clustering new images) into a library. The listeners' modules
// load when images are first added, so a command that adds none (stats, search) never compiles them.
import type { LibraryContext } from './library-context';
import { registerLabelHooks } from './labels/hooks';

export function registerDomainHooks(ctx: LibraryContext): void {
  // Each domain that extends images after ingest registers its listener here, in dependency order.
  registerLabelHooks(ctx);
  ctx.onImagesAdded(async (context, imageIds, job) => (await import('./duplicates/hooks')).clusterAddedImages(context, imageIds, job));
  ctx.onImagesAdded(async (context, imageIds, job) => (await import('./embed/ingest-hook')).embedAddedImages(context, imageIds, job));
}
