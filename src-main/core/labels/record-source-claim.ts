// Records what a source (folder name, sidecar, API) says an image shows, as a source_claimed label.
import type { LabelEvidence, TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { appendLabelEvent, writeLabel } from './label-repository';

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
  const label = {
    taxon: claim.taxon,
    rank: claim.rank,
    state: 'source_claimed',
    author: null,
    note: null,
    evidenceJson: evidence,
  } as const;
  writeLabel(db, imageId, label);
  appendLabelEvent(db, { imageId, action: 'claim', toState: label.state, toTaxon: claim.taxon, rank: claim.rank, evidenceJson: evidence });
  return true;
}
