// The one setup shared by an ingest run and its dry run (plan): scan, read sidecars, classify against the
// catalogue. Both count from it, so what a plan says (unchanged, previously rejected, skipped) is what a run does.
import type { Db } from '../catalog/database';
import { classifyFiles, type Classified } from './classify-files';
import { scanFiles, type ScannedFile, type SkippedPath } from './scan-files';
import { SourceClaims } from './source-claims';

export interface IngestSelection {
  paths: string[];
  limit?: number | undefined;
  /** Tries again the files rejected before, even when unchanged since (`ingest --retry-rejected`). */
  retryRejected?: boolean | undefined;
}

export interface IngestSetup {
  files: ScannedFile[];
  /** Paths the scan could not use, each with its reason (unreadable folder, vanished file, broken symlink ...). */
  skipped: SkippedPath[];
  claims: SourceClaims;
  classified: Classified;
  counts: {
    scanned: number;
    /** Files not read again: catalogued and unchanged, or rejected before and unchanged (previouslyRejected). */
    unchanged: number;
    previouslyRejected: number;
    sidecars: number;
  };
}

/** `db` null: no catalogue yet (a dry run on a new library), so every file is new. */
export async function prepareIngest(db: Db | null, libraryDir: string, selection: IngestSelection): Promise<IngestSetup> {
  const scan = await scanFiles(selection.paths, { exclude: [libraryDir] });
  const files = selection.limit !== undefined ? scan.files.slice(0, selection.limit) : scan.files;
  const claims = await SourceClaims.load(files);
  const candidates = files.filter((f) => !claims.sidecarFiles.has(f.path));
  const classified: Classified = db ? classifyFiles(db, candidates) : { unchanged: [], stillRejected: [], toProcess: candidates };
  if (selection.retryRejected) {
    classified.toProcess.push(...classified.stillRejected);
    classified.stillRejected = [];
  }
  return {
    files,
    skipped: [...scan.skipped, ...claims.unreadable],
    claims,
    classified,
    counts: {
      scanned: files.length,
      unchanged: classified.unchanged.length + classified.stillRejected.length,
      previouslyRejected: classified.stillRejected.length,
      sidecars: claims.sidecarFiles.size - claims.invalid.length - claims.unreadable.length,
    },
  };
}
