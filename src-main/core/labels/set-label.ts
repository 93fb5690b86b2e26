// A human decision on labels (verify or dispute), applied to many images at once, all or nothing, with audit.
import type { Label, LabelEvidence, TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { inferRank } from './infer-rank';
import { appendLabelEvent, labelFromRow, parseLabelEvidence, readLabelRow, writeLabel, type LabelRow } from './label-repository';
import { assertTransition, taxonAtRank, type HumanState } from './label-transitions';

export interface LabelDecision {
  imageIds: number[];
  state: HumanState;
  taxon?: string;
  rank?: TaxonRank;
  note?: string;
  author?: string;
}

export function setLabels(db: Db, decision: LabelDecision): Label[] {
  return db.transaction(() => decision.imageIds.map((id) => setOne(db, id, decision)))();
}

function setOne(db: Db, imageId: number, d: LabelDecision): Label {
  if (!db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(imageId))
    throw new SporeprintError('NOT_FOUND', `image ${imageId} does not exist`);
  const current = readLabelRow(db, imageId);
  assertTransition(imageId, current?.state ?? null, d.state);
  const { taxon, rank } = resolveTaxon(imageId, current, d);
  const evidence = nextEvidence(current, taxon);
  const author = d.author ?? null;
  const note = d.note ?? null;
  writeLabel(db, imageId, { taxon, rank, state: d.state, author, note, evidenceJson: evidence });
  appendLabelEvent(db, {
    imageId,
    author,
    action: d.state === 'human_verified' ? 'verify' : 'dispute',
    previous: current,
    toState: d.state,
    toTaxon: taxon,
    rank,
    note,
    evidenceJson: evidence,
  });
  return labelFromRow(readLabelRow(db, imageId)!);
}

/**
 * The taxon and rank the decision means. A dispute without a taxon disputes the current one; a verification
 * may name a new taxon (settling a dispute) or only a coarser rank ("genus Russula, species unverifiable").
 */
function resolveTaxon(imageId: number, current: LabelRow | undefined, d: LabelDecision): { taxon: string; rank: TaxonRank } {
  if (d.taxon) return { taxon: d.taxon, rank: d.rank ?? inferRank(d.taxon) };
  if (!current) throw new SporeprintError('INVALID_INPUT', `image ${imageId} has no label yet: give a taxon`);
  if (!d.rank) return { taxon: current.taxon, rank: current.rank };
  return { taxon: taxonAtRank(imageId, current.taxon, current.rank, d.rank), rank: d.rank };
}

/** Keeps where the label came from (source or model) and, when the taxon changes, what was claimed. */
function nextEvidence(current: LabelRow | undefined, taxon: string): string | null {
  const evidence: LabelEvidence = { ...parseLabelEvidence(current?.evidence_json ?? null, 'label.evidence_json') };
  if (current && current.taxon !== taxon && evidence.claimedTaxon === undefined) evidence.claimedTaxon = current.taxon;
  return Object.keys(evidence).length > 0 ? JSON.stringify(evidence) : null;
}
