// recordSuggestions: suggestions are always stored; the label only changes when unlabelled or model_suggested.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../src-main/core/catalog/database';
import { recordSourceClaim } from '../../../../src-main/core/labels/record-source-claim';
import { recordSuggestions } from '../../../../src-main/core/labels/record-suggestions';
import { readLabelHistory, readSuggestions } from '../../../../src-main/core/labels/label-queries';
import { openTempCatalog } from '../../../fixtures/temp-library';

let db: Db;
let cleanup: () => void;

function addImage(n: number): number {
  const sha = n.toString(16).padStart(64, '0');
  return Number(
    db
      .prepare(
        `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution, quality_sharpness, quality_noise, quality_colour)
         VALUES (?, '0000000000000000', 'jpeg', 100, 100, 10, 50, 50, 50, 50, 50)`,
      )
      .run(sha).lastInsertRowid,
  );
}

function label(id: number) {
  return db.prepare(`SELECT taxon, rank, state, evidence_json FROM label WHERE image_id = ?`).get(id) as
    { taxon: string; rank: string; state: string; evidence_json: string } | undefined;
}

beforeEach(() => {
  ({ db, cleanup } = openTempCatalog());
});
afterEach(() => cleanup());

describe('recordSuggestions', () => {
  it('labels an unlabelled image with the top suggestion as model_suggested and logs a suggest event', () => {
    const id = addImage(1);
    const result = recordSuggestions(db, id, 'clip-a', [
      { taxon: 'Russula', score: 0.2 },
      { taxon: 'Amanita muscaria', score: 0.7 },
    ]);
    expect(result).toEqual({ stored: 2, labelUpdated: true });
    expect(label(id)).toMatchObject({ taxon: 'Amanita muscaria', rank: 'species', state: 'model_suggested' });
    expect(JSON.parse(label(id)!.evidence_json)).toEqual({ modelId: 'clip-a', score: 0.7 });
    expect(readSuggestions(db, id).map((s) => s.taxon)).toEqual(['Amanita muscaria', 'Russula']);
    const history = readLabelHistory(db, id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'suggest', fromState: null, toState: 'model_suggested', toTaxon: 'Amanita muscaria' });
  });

  it('updates an existing model suggestion and replaces that model’s stored suggestions', () => {
    const id = addImage(2);
    recordSuggestions(db, id, 'clip-a', [{ taxon: 'Amanita muscaria', score: 0.7 }]);
    recordSuggestions(db, id, 'clip-a', [{ taxon: 'Boletus edulis', score: 0.9 }]);
    expect(label(id)).toMatchObject({ taxon: 'Boletus edulis', state: 'model_suggested' });
    expect(readSuggestions(db, id)).toEqual([{ taxon: 'Boletus edulis', score: 0.9, modelId: 'clip-a' }]);
    const history = readLabelHistory(db, id);
    expect(history.map((e) => e.action)).toEqual(['suggest', 'suggest']);
    expect(history[1]).toMatchObject({ fromState: 'model_suggested', fromTaxon: 'Amanita muscaria' });
  });

  it('never touches a source claim, but keeps the suggestions as evidence', () => {
    const id = addImage(3);
    recordSourceClaim(db, id, { taxon: 'Russula emetica', rank: 'species', evidence: { source: 'folder' } });
    const result = recordSuggestions(db, id, 'clip-a', [{ taxon: 'Amanita muscaria', score: 0.9 }]);
    expect(result.labelUpdated).toBe(false);
    expect(label(id)).toMatchObject({ taxon: 'Russula emetica', state: 'source_claimed' });
    expect(readSuggestions(db, id)).toHaveLength(1);
    expect(readLabelHistory(db, id).map((e) => e.action)).toEqual(['claim']);
  });

  it.each(['human_verified', 'disputed'] as const)('never overwrites a %s label', (state) => {
    const id = addImage(state === 'disputed' ? 4 : 5);
    db.prepare(`INSERT INTO label (image_id, taxon, rank, state, author) VALUES (?, 'Russula', 'genus', ?, 'ann')`).run(id, state);
    recordSuggestions(db, id, 'clip-a', [{ taxon: 'Amanita muscaria', score: 0.9 }]);
    expect(label(id)).toMatchObject({ taxon: 'Russula', state });
    expect(readLabelHistory(db, id)).toHaveLength(0);
  });

  it('stores nothing and changes nothing for an empty suggestion list', () => {
    const id = addImage(6);
    expect(recordSuggestions(db, id, 'clip-a', [])).toEqual({ stored: 0, labelUpdated: false });
    expect(label(id)).toBeUndefined();
  });
});
