// Wires domains that react to catalogue changes (e.g. clustering new images) into a library.
import type { LibraryContext } from './library-context';
import { registerLabelHooks } from './labels/hooks';

export function registerDomainHooks(ctx: LibraryContext): void {
  // Each domain that extends images after ingest registers its listener here, in dependency order.
  registerLabelHooks(ctx);
}
