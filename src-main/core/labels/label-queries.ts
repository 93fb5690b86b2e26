// Reads of the label audit trail and of stored model suggestions.
import type { LabelEvent, TaxonSuggestion } from '../../../src-shared/model';
import type { Db } from '../catalog/database';

interface EventRow {
  id: number;
  image_id: number;
  at: string;
  author: string | null;
  action: LabelEvent['action'];
  from_state: LabelEvent['fromState'];
  to_state: LabelEvent['toState'];
  from_taxon: string | null;
  to_taxon: string | null;
  rank: LabelEvent['rank'];
  note: string | null;
  evidence_json: string | null;
}

export function readLabelHistory(db: Db, imageId: number): LabelEvent[] {
  const rows = db.prepare(`SELECT * FROM label_event WHERE image_id = ? ORDER BY id`).all(imageId) as EventRow[];
  return rows.map((r) => ({
    id: r.id,
    imageId: r.image_id,
    at: r.at,
    author: r.author,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    fromTaxon: r.from_taxon,
    toTaxon: r.to_taxon,
    rank: r.rank,
    note: r.note,
    evidence: r.evidence_json ? JSON.parse(r.evidence_json) : null,
  }));
}

export function readSuggestions(db: Db, imageId: number): TaxonSuggestion[] {
  return db
    .prepare(`SELECT taxon, score, model_id AS modelId FROM label_suggestion WHERE image_id = ? ORDER BY model_id, position`)
    .all(imageId) as TaxonSuggestion[];
}
