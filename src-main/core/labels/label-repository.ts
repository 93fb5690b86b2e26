// The raw label row as stored, used for exact snapshots in label_event.previous_json and for restoring them.
import type { Label, LabelEvidence, LabelState, TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';

export interface LabelRow {
  image_id: number;
  taxon: string;
  rank: TaxonRank;
  state: LabelState;
  author: string | null;
  note: string | null;
  evidence_json: string | null;
  updated_at: string;
}

export function readLabelRow(db: Db, imageId: number): LabelRow | undefined {
  return db
    .prepare(`SELECT image_id, taxon, rank, state, author, note, evidence_json, updated_at FROM label WHERE image_id = ?`)
    .get(imageId) as LabelRow | undefined;
}

/** Puts a snapshot back byte for byte (including updated_at), or removes the label when there was none. */
export function restoreLabelRow(db: Db, imageId: number, row: LabelRow | null): void {
  if (!row) {
    db.prepare(`DELETE FROM label WHERE image_id = ?`).run(imageId);
    return;
  }
  db.prepare(
    `INSERT INTO label (image_id, taxon, rank, state, author, note, evidence_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(image_id) DO UPDATE SET taxon = excluded.taxon, rank = excluded.rank, state = excluded.state, author = excluded.author,
       note = excluded.note, evidence_json = excluded.evidence_json, updated_at = excluded.updated_at`,
  ).run(imageId, row.taxon, row.rank, row.state, row.author, row.note, row.evidence_json, row.updated_at);
}

export function labelFromRow(row: LabelRow): Label {
  return {
    taxon: row.taxon,
    rank: row.rank,
    state: row.state,
    author: row.author,
    updatedAt: row.updated_at,
    note: row.note,
    evidence: row.evidence_json ? (JSON.parse(row.evidence_json) as LabelEvidence) : null,
  };
}
