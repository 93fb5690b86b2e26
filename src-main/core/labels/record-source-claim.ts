// Records what a source (folder name, sidecar, API) says an image shows, as a source_claimed label.
import type { LabelEvidence, TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';

export interface TaxonClaim {
  taxon: string;
  rank: TaxonRank;
  evidence: LabelEvidence;
}

/**
 * A claim only labels an image that has no label yet: an existing claim, a model suggestion or a human
 * decision is never replaced by a (possibly different) source claim from another copy of the file.
 */
export function recordSourceClaim(db: Db, imageId: number, claim: TaxonClaim): boolean {
  const existing = db.prepare(`SELECT 1 FROM label WHERE image_id = ?`).get(imageId);
  if (existing) return false;
  const evidence = JSON.stringify(claim.evidence);
  db.prepare(`INSERT INTO label (image_id, taxon, rank, state, author, evidence_json) VALUES (?, ?, ?, 'source_claimed', NULL, ?)`).run(
    imageId,
    claim.taxon,
    claim.rank,
    evidence,
  );
  db.prepare(
    `INSERT INTO label_event (image_id, action, to_state, to_taxon, rank, evidence_json) VALUES (?, 'claim', 'source_claimed', ?, ?, ?)`,
  ).run(imageId, claim.taxon, claim.rank, evidence);
  return true;
}
