// Undo of the last label change of an image: restores the exact row saved before it and logs the undo.
import type { Label } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { labelFromRow, readLabelRow, restoreLabelRow, type LabelRow } from './label-row';

interface EventRow {
  id: number;
  action: string;
  previous_json: string | null;
  evidence_json: string | null;
}

/**
 * Repeated undo walks further back: each earlier undo cancels the newest change it has not yet cancelled. It
 * stops at the source claim: what a folder, sidecar or source said is evidence, not an edit, so undo returns
 * to it and never below it (an image with a claim never becomes unlabelled by undo).
 */
export function undoLastLabelChange(db: Db, imageId: number, author: string | null = null): Label | null {
  return db.transaction(() => {
    if (!db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(imageId))
      throw new SporeprintError('NOT_FOUND', `image ${imageId} does not exist`);
    const events = db
      .prepare(`SELECT id, action, previous_json, evidence_json FROM label_event WHERE image_id = ? ORDER BY id DESC`)
      .all(imageId) as EventRow[];
    let pending = 0;
    let target: EventRow | undefined;
    for (const e of events) {
      if (e.action === 'undo') pending++;
      else if (e.action === 'sync') continue;
      else if (pending > 0) pending--;
      else {
        target = e;
        break;
      }
    }
    if (!target) throw new SporeprintError('INVALID_TRANSITION', `image ${imageId} has no label change to undo`);
    if (target.action === 'claim') {
      const source = target.evidence_json ? (JSON.parse(target.evidence_json) as { source?: string }).source : undefined;
      throw new SporeprintError(
        'INVALID_TRANSITION',
        `image ${imageId} is back at its source claim${source ? ` (${source})` : ''}; undo never goes below the claim, which is evidence`,
      );
    }
    const current = readLabelRow(db, imageId);
    const restored = target.previous_json ? (JSON.parse(target.previous_json) as LabelRow) : null;
    restoreLabelRow(db, imageId, restored);
    db.prepare(
      `INSERT INTO label_event (image_id, author, action, from_state, to_state, from_taxon, to_taxon, rank, note, previous_json)
       VALUES (?, ?, 'undo', ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      imageId,
      author,
      current?.state ?? null,
      restored?.state ?? null,
      current?.taxon ?? null,
      restored?.taxon ?? null,
      restored?.rank ?? null,
      `undo of event ${target.id} (${target.action})`,
      current ? JSON.stringify(current) : null,
    );
    const after = readLabelRow(db, imageId);
    return after ? labelFromRow(after) : null;
  })();
}
