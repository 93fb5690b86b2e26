// Works out what the sources say about one file: sidecar record, folder-wide sidecar claim, folder name.
import path from 'node:path';
import type { ImageProvenance } from './image-writer';
import type { TaxonClaim } from '../labels/record-source-claim';
import { isSidecarCandidate, readSidecar, type FolderSidecar, type SourceClaim } from './sidecar';
import { rankOfScientificName, taxonFromFolderName } from './taxon-from-folder';
import { SporeprintError } from '../errors';
import { ioFault, isPermanentFileFault } from '../files/io-fault';
import type { ScannedFile } from './scan-files';

export interface ResolvedClaim {
  label: TaxonClaim | null;
  provenance: ImageProvenance;
}

export class SourceClaims {
  private readonly sidecars = new Map<string, { file: string; sidecar: FolderSidecar }[]>();
  /** Sidecar files (consumed as metadata, not images). */
  readonly sidecarFiles = new Set<string>();
  /** JSON/CSV files that were malformed sidecars (or over the size cap), with the reason: rejected. */
  readonly invalid: { path: string; error: SporeprintError }[] = [];
  /** JSON/CSV files that could not be read (EACCES, EIO, vanished): skipped for this run, read again next time. */
  readonly unreadable: { path: string; reason: string }[] = [];

  /** Reads every JSON/CSV file among the scanned files that is a sidecar. */
  static async load(files: ScannedFile[]): Promise<SourceClaims> {
    const claims = new SourceClaims();
    for (const file of files) {
      if (!isSidecarCandidate(file.path)) continue;
      try {
        const sidecar = await readSidecar(file.path);
        if (!sidecar) continue;
        const dir = path.dirname(file.path);
        const list = claims.sidecars.get(dir) ?? [];
        list.push({ file: file.path, sidecar });
        claims.sidecars.set(dir, list);
        claims.sidecarFiles.add(file.path);
      } catch (err) {
        const fault = err instanceof SporeprintError ? err : ioFault(err, file.path, 'read the sidecar');
        if (isPermanentFileFault(fault.code)) claims.invalid.push({ path: file.path, error: fault });
        else claims.unreadable.push({ path: file.path, reason: `sidecar cannot be read (${fault.reason})` });
        claims.sidecarFiles.add(file.path);
      }
    }
    return claims;
  }

  /** Whether a sidecar was found in the file's folder in this scan. */
  hasSidecarFor(filePath: string): boolean {
    return this.sidecars.has(path.dirname(filePath));
  }

  resolve(filePath: string, sha256: string): ResolvedClaim {
    const dir = path.dirname(filePath);
    const name = path.basename(filePath);
    let claim: SourceClaim | null = null;
    let source = '';
    for (const { file, sidecar } of this.sidecars.get(dir) ?? []) {
      const found = sidecar.byFile.get(name) ?? sidecar.bySha256.get(sha256) ?? sidecar.folder;
      if (found) {
        claim = found;
        source = `sidecar:${path.basename(file)}`;
        break;
      }
    }
    const provenance: ImageProvenance = {
      license: claim?.license ?? null,
      attribution: claim?.attribution ?? null,
      sourceUrl: claim?.sourceUrl ?? null,
      observationGroup: claim?.observationGroup ?? null,
    };
    if (claim?.scientificName) {
      const taxon = claim.scientificName.replace(/\s+/g, ' ').trim();
      return { label: { taxon, rank: rankOfScientificName(taxon), evidence: { source } }, provenance };
    }
    const folderTaxon = taxonFromFolderName(path.basename(dir));
    if (folderTaxon) return { label: { ...folderTaxon, evidence: { source: `folder:${path.basename(dir)}` } }, provenance };
    return { label: null, provenance };
  }
}
