// Streams generated text lines to a file in ~1 MB writes: manifests of 1M rows exceed a JS string's limit.
import { open } from 'node:fs/promises';

const FLUSH_CHARS = 1 << 20;

/** Writes the lines; `tap` sees every written chunk too (e.g. to hash the manifest while it is written). */
export async function writeLines(file: string, lines: Iterable<string>, tap?: (chunk: string) => void): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let pending = '';
    for (const line of lines) {
      pending += line;
      if (pending.length >= FLUSH_CHARS) {
        tap?.(pending);
        await handle.write(pending);
        pending = '';
      }
    }
    if (pending) {
      tap?.(pending);
      await handle.write(pending);
    }
  } finally {
    await handle.close();
  }
}
