// The dry run of an ingest: what would be processed, skipped or refused; reads file heads, writes nothing.
import { open } from 'node:fs/promises';
import type { IngestPlan } from '../../../src-shared/api/catalog';
import type { Db } from '../catalog/database';
import { SNIFF_BYTES, sniffImageFormat } from '../imaging/sniff-format';
import { prepareIngest, type IngestSelection } from './ingest-setup';
import { sidecarUpdatesForUnchangedFiles } from './refresh-claims';

export async function planIngest(
  db: Db | null,
  libraryDir: string,
  params: IngestSelection & { maxFileBytes: number },
): Promise<IngestPlan> {
  const { claims, classified, counts, skipped } = await prepareIngest(db, libraryDir, params);
  const wouldReject: Record<string, number> = {};
  const bump = (code: string) => (wouldReject[code] = (wouldReject[code] ?? 0) + 1);
  for (const invalid of claims.invalid) bump(invalid.error.code);
  let toProcess = 0;
  let bytes = 0;
  for (const file of classified.toProcess) {
    const looks = file.size > 0 && file.size <= params.maxFileBytes ? await looksLikeImage(file.path) : null;
    if (file.size === 0) bump('EMPTY_FILE');
    else if (file.size > params.maxFileBytes) bump('FILE_TOO_LARGE');
    else if (typeof looks === 'string') skipped.push({ path: file.path, reason: looks });
    else if (!looks) bump('UNSUPPORTED_FORMAT');
    else {
      toProcess++;
      bytes += file.size;
    }
  }
  return {
    scanned: counts.scanned,
    toProcess,
    unchanged: counts.unchanged,
    previouslyRejected: counts.previouslyRejected,
    sidecars: counts.sidecars,
    claimsToUpdate: db ? sidecarUpdatesForUnchangedFiles(db, classified.unchanged, claims).length : 0,
    wouldReject,
    bytesToProcess: bytes,
    skipped: skipped.length,
    skippedPaths: skipped.slice(0, 200),
  };
}

/** Whether the file starts like an image; a string says why it could not be read (the run would retry it). */
async function looksLikeImage(file: string): Promise<boolean | string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return sniffImageFormat(head.subarray(0, bytesRead)) !== null;
  } finally {
    await handle.close();
  }
}
