// Streams generated text lines to a file in ~1 MB writes: manifests of 1M rows exceed a JS string's limit.
import { open } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

/**
 * Writes the lines; `tap` sees every written chunk too (e.g. to hash the manifest while it is written). Lines
 * are encoded straight into a reused buffer: no joined string to flatten, no buffer allocated per chunk.
 */
export async function writeLines(file: string, lines: Iterable<string>, tap?: (chunk: Buffer) => void): Promise<void> {
  const handle = await open(file, 'w');
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = async () => {
    const chunk = buffer.subarray(0, used);
    tap?.(chunk);
    await handle.write(chunk);
    used = 0;
  };
  try {
    for (const line of lines) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      const worst = line.length * 3;
      if (used + worst > buffer.length) {
        await flush();
        if (worst > buffer.length) buffer = Buffer.allocUnsafe(worst);
      }
      used += buffer.write(line, used, 'utf8');
    }
    if (used > 0) await flush();
  } finally {
    await handle.close();
  }
}
