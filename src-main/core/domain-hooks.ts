// Wires domains that react to catalogue changes (e.g. clustering new images) into a library.
import type { LibraryContext } from './library-context';
import { registerLabelHooks } from './labels/hooks';
import { registerDuplicateHooks } from './duplicates/hooks';
import { registerEmbeddingHook } from './embed/ingest-hook';

export function registerDomainHooks(ctx: LibraryContext): void {
  // Each domain that extends images after ingest registers its listener here, in dependency order.
  registerLabelHooks(ctx);
  registerDuplicateHooks(ctx);
  registerEmbeddingHook(ctx);
}
