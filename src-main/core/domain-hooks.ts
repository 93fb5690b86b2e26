// Wires domains that react to catalogue changes (e.g. clustering new images) into a library.
import type { LibraryContext } from './library-context';

export function registerDomainHooks(_ctx: LibraryContext): void {
  // Each domain that extends images after ingest registers its listener here, in dependency order.
}
