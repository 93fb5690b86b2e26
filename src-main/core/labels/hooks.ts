// Wires the labels domain into an opened library: the views' licence allow-list follows the library settings.
import type { LibraryContext } from '../library-context';
import { writeLicenseAllowList } from './license-allow-list';

export function registerLabelHooks(ctx: LibraryContext): void {
  writeLicenseAllowList(ctx.db, ctx.config.LICENSE_ALLOW_LIST);
}
