// A human decision on labels (verify or dispute), applied to many images at once, all or nothing, with audit.
import type { Label, LabelEvidence, TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { inferRank } from './infer-rank';
import { labelFromRow, readLabelRow, type LabelRow } from './label-row';
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
  db.prepare(
    `INSERT INTO label (image_id, taxon, rank, state, author, note, evidence_json, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))
     ON CONFLICT(image_id) DO UPDATE SET taxon = excluded.taxon, rank = excluded.rank, state = excluded.state, author = excluded.author,
       note = excluded.note, evidence_json = excluded.evidence_json, updated_at = excluded.updated_at`,
  ).run(imageId, taxon, rank, d.state, author, note, evidence);
  db.prepare(
    `INSERT INTO label_event (image_id, author, action, from_state, to_state, from_taxon, to_taxon, rank, note, evidence_json, previous_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    imageId,
    author,
    d.state === 'human_verified' ? 'verify' : 'dispute',
    current?.state ?? null,
    d.state,
    current?.taxon ?? null,
    taxon,
    rank,
    note,
    evidence,
    current ? JSON.stringify(current) : null,
  );
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
  const previous = current?.evidence_json ? (JSON.parse(current.evidence_json) as LabelEvidence) : {};
  const evidence: LabelEvidence = { ...previous };
  if (current && current.taxon !== taxon && evidence.claimedTaxon === undefined) evidence.claimedTaxon = current.taxon;
  return Object.keys(evidence).length > 0 ? JSON.stringify(evidence) : null;
}
