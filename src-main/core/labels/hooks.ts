// Wires the labels domain into an opened library: the views' licence allow-list follows the library settings.
import type { LibraryContext } from '../library-context';
import { writeLicenseAllowList } from './license-allow-list';

export function registerLabelHooks(ctx: LibraryContext): void {
  // A read-only open keeps the list its owner last wrote.
  if (!ctx.readOnly) writeLicenseAllowList(ctx.db, ctx.config.LICENSE_ALLOW_LIST);
}
