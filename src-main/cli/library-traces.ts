// What a command added to a library folder that had no catalogue before it, so that a failed first command can
// take it away again: a dry run, a typo or a missing folder must not leave a half-made library behind.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { LIBRARY_LOCK_FILE } from '../core/library-lock';
import { CATALOG_FILE } from '../core/library-paths';

export interface LibraryTraces {
  /** True when there was no catalogue here before the command. */
  isNew: boolean;
  /** Removes what was created since (the folders made for the library, or the new entries of an existing folder). */
  removeNew(): void;
}

export function libraryTraces(dir: string): LibraryTraces {
  const isNew = !existsSync(path.join(dir, CATALOG_FILE));
  // The highest folder of the path that does not exist yet: mkdir -p creates it and everything under it.
  let top: string | null = null;
  for (let p = dir; !existsSync(p); p = path.dirname(p)) top = p;
  const before = top === null && isNew && statSync(dir).isDirectory() ? new Set(readdirSync(dir)) : null;
  return {
    isNew,
    removeNew() {
      // Another process took the library as its owner since this one closed it: it is theirs now.
      if (!isNew || existsSync(path.join(dir, LIBRARY_LOCK_FILE))) return;
      if (top !== null) rmSync(top, { recursive: true, force: true });
      else if (before)
        for (const entry of readdirSync(dir)) if (!before.has(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
    },
  };
}
