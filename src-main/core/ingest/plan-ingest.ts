// The dry run of an ingest: what would be processed, skipped or refused; reads file heads, writes nothing.
import { open } from 'node:fs/promises';
import type { IngestPlan } from '../../../src-shared/api/catalog';
import type { Db } from '../catalog/database';
import { SNIFF_BYTES, sniffImageFormat } from '../imaging/sniff-format';
import { classifyFiles } from './classify-files';
import { sidecarUpdatesForUnchangedFiles } from './refresh-claims';
import { scanFiles } from './scan-files';
import { SourceClaims } from './source-claims';

export async function planIngest(
  db: Db | null,
  libraryDir: string,
  params: { paths: string[]; limit?: number | undefined; maxFileBytes: number },
): Promise<IngestPlan> {
  let files = await scanFiles(params.paths, { exclude: [libraryDir] });
  if (params.limit !== undefined) files = files.slice(0, params.limit);
  const claims = await SourceClaims.load(files);
  const candidates = files.filter((f) => !claims.sidecarFiles.has(f.path));
  const classified = db ? classifyFiles(db, candidates) : { unchanged: [], stillRejected: [], toProcess: candidates };
  const wouldReject: Record<string, number> = {};
  const bump = (code: string) => (wouldReject[code] = (wouldReject[code] ?? 0) + 1);
  for (const invalid of claims.invalid) bump(invalid.error.code);
  let toProcess = 0;
  let bytes = 0;
  for (const file of classified.toProcess) {
    if (file.size === 0) bump('EMPTY_FILE');
    else if (file.size > params.maxFileBytes) bump('FILE_TOO_LARGE');
    else if (!(await looksLikeImage(file.path))) bump('UNSUPPORTED_FORMAT');
    else {
      toProcess++;
      bytes += file.size;
    }
  }
  return {
    scanned: files.length,
    toProcess,
    unchanged: classified.unchanged.length,
    previouslyRejected: classified.stillRejected.length,
    sidecars: claims.sidecarFiles.size - claims.invalid.length,
    claimsToUpdate: db ? sidecarUpdatesForUnchangedFiles(db, classified.unchanged, claims).length : 0,
    wouldReject,
    bytesToProcess: bytes,
  };
}

async function looksLikeImage(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return sniffImageFormat(head.subarray(0, bytesRead)) !== null;
  } finally {
    await handle.close();
  }
}
