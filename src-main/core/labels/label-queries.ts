// Reads of the label audit trail and of stored model suggestions.
import * as z from 'zod';
import { LABEL_STATES, TAXON_RANKS, type LabelEvent, type TaxonSuggestion } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseRows } from '../catalog/parse-rows';
import { parseLabelEvidence } from './label-repository';

const LABEL_ACTIONS = ['claim', 'suggest', 'verify', 'dispute', 'undo', 'sync'] as const satisfies readonly LabelEvent['action'][];

const eventRow = z.object({
  id: z.number().int(),
  image_id: z.number().int(),
  at: z.string(),
  author: z.string().nullable(),
  action: z.enum(LABEL_ACTIONS),
  from_state: z.enum(LABEL_STATES).nullable(),
  to_state: z.enum(LABEL_STATES).nullable(),
  from_taxon: z.string().nullable(),
  to_taxon: z.string().nullable(),
  rank: z.enum(TAXON_RANKS).nullable(),
  note: z.string().nullable(),
  evidence_json: z.string().nullable(),
});

const suggestionRow = z.object({ taxon: z.string(), score: z.number(), modelId: z.string() }) satisfies z.ZodType<TaxonSuggestion>;

export function readLabelHistory(db: Db, imageId: number): LabelEvent[] {
  const rows = parseRows(eventRow, db.prepare(`SELECT * FROM label_event WHERE image_id = ? ORDER BY id`).all(imageId), 'label event');
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
    evidence: parseLabelEvidence(r.evidence_json, 'label_event.evidence_json'),
  }));
}

export function readSuggestions(db: Db, imageId: number): TaxonSuggestion[] {
  return parseRows(
    suggestionRow,
    db
      .prepare(`SELECT taxon, score, model_id AS modelId FROM label_suggestion WHERE image_id = ? ORDER BY model_id, position`)
      .all(imageId),
    'label suggestion',
  );
}
