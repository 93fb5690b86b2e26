// Streams generated text lines to a file in ~1 MB writes: manifests of 1M rows exceed a JS string's limit.
import { open } from 'node:fs/promises';

const FLUSH_CHARS = 1 << 20;

/**
 * Writes the lines; `tap` sees every written chunk too (e.g. to hash the manifest while it is written). Each
 * chunk is encoded to UTF-8 once, for both.
 */
export async function writeLines(file: string, lines: Iterable<string>, tap?: (chunk: Buffer) => void): Promise<void> {
  const handle = await open(file, 'w');
  const writeChunk = async (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    tap?.(bytes);
    await handle.write(bytes);
  };
  try {
    let pending = '';
    for (const line of lines) {
      pending += line;
      if (pending.length >= FLUSH_CHARS) {
        await writeChunk(pending);
        pending = '';
      }
    }
    if (pending) await writeChunk(pending);
  } finally {
    await handle.close();
  }
}
