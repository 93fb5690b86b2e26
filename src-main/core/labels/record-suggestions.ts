// Stores a model's top-k taxon suggestions for an image and, where no stronger label exists, a model_suggested label.
import type { Db } from '../catalog/database';
import { inferRank } from './infer-rank';
import { appendLabelEvent, readLabelRow, writeLabel } from './label-repository';

export interface ScoredTaxon {
  taxon: string;
  score: number;
}

export interface RecordSuggestionsResult {
  stored: number;
  /** True when the image's current label became (or was refreshed as) this model's top suggestion. */
  labelUpdated: boolean;
}

/**
 * Suggestions are evidence: they are always stored, but the label itself only changes when the image is
 * unlabelled or already carries a model suggestion. A source claim, a human verification or a dispute is
 * never overwritten by a model. Runs in one transaction so a crash never leaves half a suggestion set.
 */
export function recordSuggestions(db: Db, imageId: number, modelId: string, suggestions: ScoredTaxon[]): RecordSuggestionsResult {
  const ranked = suggestions
    .filter((s) => s.taxon.trim().length > 0 && Number.isFinite(s.score))
    .map((s) => ({ taxon: s.taxon.trim(), score: s.score }))
    .sort((a, b) => b.score - a.score);
  const run = db.transaction((): RecordSuggestionsResult => {
    db.prepare(`DELETE FROM label_suggestion WHERE image_id = ? AND model_id = ?`).run(imageId, modelId);
    const insert = db.prepare(`INSERT INTO label_suggestion (image_id, model_id, taxon, score, position) VALUES (?, ?, ?, ?, ?)`);
    ranked.forEach((s, i) => insert.run(imageId, modelId, s.taxon, s.score, i));
    const top = ranked[0];
    if (!top) return { stored: 0, labelUpdated: false };

    const current = readLabelRow(db, imageId);
    if (current && current.state !== 'model_suggested') return { stored: ranked.length, labelUpdated: false };
    const evidence = JSON.stringify({ modelId, score: top.score });
    if (current && current.taxon === top.taxon && current.evidence_json === evidence) {
      return { stored: ranked.length, labelUpdated: false };
    }
    const rank = inferRank(top.taxon);
    writeLabel(db, imageId, { taxon: top.taxon, rank, state: 'model_suggested', author: modelId, note: null, evidenceJson: evidence });
    appendLabelEvent(db, {
      imageId,
      author: modelId,
      action: 'suggest',
      previous: current,
      toState: 'model_suggested',
      toTaxon: top.taxon,
      rank,
      evidenceJson: evidence,
    });
    return { stored: ranked.length, labelUpdated: true };
  });
  return run();
}
