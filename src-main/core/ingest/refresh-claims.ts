// Unchanged files get no image work on a re-run, but a sidecar added or edited since they were ingested may now
// say more about them. What the catalogue does not know yet (a licence, a photographer, a taxon for an
// unlabelled image) is filled in from it; nothing already recorded is replaced, except a licence only an ingest
// --license default gave (that default is for photos carrying none, and the sidecar says this one carries its own).
// An unlabelled image in a folder named for a taxon gets that claim back too (a claim lost to an older undo is
// restored by re-ingesting).
import type { Db } from '../catalog/database';
import { integer, nullable, objectRowChecker, text } from '../catalog/row-columns';
import type { ImageProvenance, ImageWriter } from './image-writer';
import { recordSourceClaim, type TaxonClaim } from '../labels/record-source-claim';
import { licenseReplacingDefault, replaceIngestDefault } from '../licenses/ingest-default';
import type { ScannedFile } from './scan-files';
import type { SourceClaims } from './source-claims';

export interface SidecarUpdate {
  imageId: number;
  /** Set when it fills at least one field the image lacks (filling never overwrites). */
  provenance: ImageProvenance | null;
  /** Set when the image has no label yet. */
  label: TaxonClaim | null;
}

/** One lookup per unchanged file, tens of thousands on a re-run: a typeof check per column (row-columns.ts). */
const checkCataloguedFile = objectRowChecker('catalogued file with provenance', {
  id: integer,
  sha256: text,
  license: nullable(text),
  attribution: nullable(text),
  sourceUrl: nullable(text),
  observationGroup: nullable(text),
  labelled: integer,
});

/** What sidecars would add to unchanged images: one lookup per unchanged file in a folder with a sidecar. */
export function sidecarUpdatesForUnchangedFiles(db: Db, files: readonly ScannedFile[], claims: SourceClaims): SidecarUpdate[] {
  const lookup = db.prepare(`
    SELECT i.id, i.sha256, i.license, i.attribution, i.source_url AS sourceUrl, i.observation_group AS observationGroup,
      EXISTS (SELECT 1 FROM label l WHERE l.image_id = i.id) AS labelled
    FROM location loc JOIN image i ON i.id = loc.image_id WHERE loc.path = ?`);
  const updates: SidecarUpdate[] = [];
  for (const file of files) {
    const row = lookup.get(file.path);
    if (row === undefined) continue;
    const known = checkCataloguedFile(row);
    const { label, provenance } = claims.resolve(file.path, known.sha256);
    const fills =
      ((known.license === null || known.license === 'UNKNOWN') && provenance.license !== null && provenance.license !== known.license) ||
      (provenance.license !== null && known.license !== provenance.license && licenseReplacingDefault(db, known.id, provenance) !== null) ||
      (known.attribution === null && provenance.attribution !== null) ||
      (known.sourceUrl === null && provenance.sourceUrl !== null) ||
      (known.observationGroup === null && provenance.observationGroup !== null);
    const newLabel = known.labelled ? null : label;
    if (fills || newLabel) updates.push({ imageId: known.id, provenance: fills ? provenance : null, label: newLabel });
  }
  return updates;
}

/** One transaction per image, like every other ingest write, so a kill loses nothing already applied. */
export function applySidecarUpdates(db: Db, writer: ImageWriter, updates: readonly SidecarUpdate[]): void {
  for (const { imageId, provenance, label } of updates) {
    db.transaction(() => {
      if (provenance) {
        replaceIngestDefault(db, imageId, provenance);
        writer.addProvenance(imageId, provenance);
      }
      if (label) recordSourceClaim(db, imageId, label);
    })();
  }
}
