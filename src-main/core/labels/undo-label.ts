// Undo of the last label change of an image: restores the exact row saved before it and logs the undo.
import * as z from 'zod';
import type { Label } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { parseRows } from '../catalog/parse-rows';
import { SporeprintError } from '../errors';
import { appendLabelEvent, labelFromRow, parseLabelEvidence, parseLabelSnapshot, readLabelRow, restoreLabelRow } from './label-repository';

const eventRow = z.object({
  id: z.number().int(),
  action: z.string(),
  previous_json: z.string().nullable(),
  evidence_json: z.string().nullable(),
});
type EventRow = z.output<typeof eventRow>;

/**
 * Repeated undo walks further back: each earlier undo cancels the newest change it has not yet cancelled. It
 * stops at the source claim: what a folder, sidecar or source said is evidence, not an edit, so undo returns
 * to it and never below it (an image with a claim never becomes unlabelled by undo).
 */
export function undoLastLabelChange(db: Db, imageId: number, author: string | null = null): Label | null {
  return db.transaction(() => {
    if (!db.prepare(`SELECT 1 FROM image WHERE id = ?`).get(imageId))
      throw new SporeprintError('NOT_FOUND', `image ${imageId} does not exist`);
    const events = parseRows(
      eventRow,
      db.prepare(`SELECT id, action, previous_json, evidence_json FROM label_event WHERE image_id = ? ORDER BY id DESC`).all(imageId),
      'label event',
    );
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
      const source = parseLabelEvidence(target.evidence_json, 'label_event.evidence_json')?.source;
      throw new SporeprintError(
        'INVALID_TRANSITION',
        `image ${imageId} is back at its source claim${source ? ` (${source})` : ''}; undo never goes below the claim, which is evidence`,
      );
    }
    const current = readLabelRow(db, imageId);
    const restored = target.previous_json ? parseLabelSnapshot(target.previous_json) : null;
    restoreLabelRow(db, imageId, restored);
    appendLabelEvent(db, {
      imageId,
      author,
      action: 'undo',
      previous: current,
      toState: restored?.state ?? null,
      toTaxon: restored?.taxon ?? null,
      rank: restored?.rank ?? null,
      note: `undo of event ${target.id} (${target.action})`,
    });
    const after = readLabelRow(db, imageId);
    return after ? labelFromRow(after) : null;
  })();
}
