// The label aggregate's SQL in one place: each image's current label row, the snapshots of it kept in
// label_event.previous_json (for undo), and the audit event every change appends. Rows are parsed here, once.
import * as z from 'zod';
import {
  LABEL_STATES,
  TAXON_RANKS,
  type Label,
  type LabelEvent,
  type LabelEvidence,
  type LabelState,
  type TaxonRank,
} from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseJsonColumn, parseRow } from '../catalog/parse-rows';

export const labelRowSchema = z.object({
  image_id: z.number().int(),
  taxon: z.string(),
  rank: z.enum(TAXON_RANKS),
  state: z.enum(LABEL_STATES),
  author: z.string().nullable(),
  note: z.string().nullable(),
  evidence_json: z.string().nullable(),
  updated_at: z.string(),
});
/** The raw label row as stored, also the exact snapshot in label_event.previous_json. */
export type LabelRow = z.output<typeof labelRowSchema>;

/** Evidence keeps keys it does not know (a pulled label records the server client that wrote it). */
const labelEvidenceSchema = z.looseObject({
  source: z.string().optional(),
  modelId: z.string().optional(),
  score: z.number().optional(),
  claimedTaxon: z.string().optional(),
}) satisfies z.ZodType<LabelEvidence>;

// Prepared once per catalogue: sync mirrors every image of a push batch through writeLabel and appendLabelEvent.
const cache = new WeakMap<Db, ReturnType<typeof prepare>>();
function prepare(db: Db) {
  return {
    write: db.prepare(
      `INSERT INTO label (image_id, taxon, rank, state, author, note, evidence_json, updated_at)
       VALUES (@imageId, @taxon, @rank, @state, @author, @note, @evidenceJson, coalesce(@updatedAt, strftime('%Y-%m-%dT%H:%M:%fZ','now')))
       ON CONFLICT(image_id) DO UPDATE SET taxon = excluded.taxon, rank = excluded.rank, state = excluded.state,
         author = excluded.author, note = excluded.note, evidence_json = excluded.evidence_json, updated_at = excluded.updated_at`,
    ),
    remove: db.prepare(`DELETE FROM label WHERE image_id = ?`),
    event: db.prepare(
      `INSERT INTO label_event (image_id, author, action, from_state, to_state, from_taxon, to_taxon, rank, note, evidence_json, previous_json)
       VALUES (@imageId, @author, @action, @fromState, @toState, @fromTaxon, @toTaxon, @rank, @note, @evidenceJson, @previousJson)`,
    ),
  };
}
function statements(db: Db) {
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
}

export function readLabelRow(db: Db, imageId: number): LabelRow | undefined {
  const row = db
    .prepare(`SELECT image_id, taxon, rank, state, author, note, evidence_json, updated_at FROM label WHERE image_id = ?`)
    .get(imageId);
  return parseRow(labelRowSchema, row, 'label');
}

export interface LabelWrite {
  taxon: string;
  rank: TaxonRank;
  state: LabelState;
  author: string | null;
  note: string | null;
  evidenceJson: string | null;
}

/** Sets an image's label, stamped now. */
export function writeLabel(db: Db, imageId: number, label: LabelWrite): void {
  statements(db).write.run({ imageId, ...label, updatedAt: null });
}

/** Puts a snapshot back byte for byte (including updated_at), or removes the label when there was none. */
export function restoreLabelRow(db: Db, imageId: number, row: LabelRow | null): void {
  if (!row) {
    statements(db).remove.run(imageId);
    return;
  }
  statements(db).write.run({
    imageId,
    taxon: row.taxon,
    rank: row.rank,
    state: row.state,
    author: row.author,
    note: row.note,
    evidenceJson: row.evidence_json,
    updatedAt: row.updated_at,
  });
}

export interface LabelEventWrite {
  imageId: number;
  action: LabelEvent['action'];
  author?: string | null;
  /** The label before the change (its state and taxon are the event's "from", the row its undo snapshot). */
  previous?: LabelRow | null | undefined;
  toState: LabelState | null;
  toTaxon: string | null;
  rank: TaxonRank | null;
  note?: string | null;
  evidenceJson?: string | null;
}

/** Appends the audit event of a label change. */
export function appendLabelEvent(db: Db, e: LabelEventWrite): void {
  statements(db).event.run({
    imageId: e.imageId,
    author: e.author ?? null,
    action: e.action,
    fromState: e.previous?.state ?? null,
    toState: e.toState,
    fromTaxon: e.previous?.taxon ?? null,
    toTaxon: e.toTaxon,
    rank: e.rank,
    note: e.note ?? null,
    evidenceJson: e.evidenceJson ?? null,
    previousJson: e.previous ? JSON.stringify(e.previous) : null,
  });
}

/** The label row an event saved before its change (label_event.previous_json). */
export function parseLabelSnapshot(json: string): LabelRow {
  return parseJsonColumn(labelRowSchema, json, 'label_event.previous_json');
}

export function parseLabelEvidence(json: string | null, what: string): LabelEvidence | null {
  return json ? parseJsonColumn(labelEvidenceSchema, json, what) : null;
}

export function labelFromRow(row: LabelRow): Label {
  return {
    taxon: row.taxon,
    rank: row.rank,
    state: row.state,
    author: row.author,
    updatedAt: row.updated_at,
    note: row.note,
    evidence: parseLabelEvidence(row.evidence_json, 'label.evidence_json'),
  };
}
