// The follow-up queue of new images (migration 007): filled in the commit of each new image, drained by the
// library once a run has committed its files (see Library.completeFollowups).
import type { Db } from './database';
import { parseIds, rowShapeError } from './parse-rows';

export class FollowupQueue {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO image_followup (image_id, descriptor) VALUES (?, ?)`);
  }

  /** Call inside the transaction that adds the image; `descriptor` is the vector as stored (vector-store toBlob). */
  add(imageId: number, descriptor: Buffer): void {
    this.insert.run(imageId, descriptor);
  }
}

/** Images whose follow-up work is pending, in id order: this run's, and any a killed or failed run left. */
export function pendingFollowups(db: Db): number[] {
  return parseIds(db.prepare(`SELECT image_id FROM image_followup ORDER BY image_id`).pluck().all(), 'queued follow-ups');
}

/** The descriptor vectors the decode workers computed for these images, as stored (vector-store fromBlob reads them). */
export function queuedDescriptors(db: Db, imageIds: readonly number[]): { imageId: number; blob: Buffer }[] {
  const select = db.prepare(`SELECT descriptor FROM image_followup WHERE image_id = ?`).pluck();
  const out: { imageId: number; blob: Buffer }[] = [];
  for (const imageId of imageIds) {
    const blob: unknown = select.get(imageId);
    if (blob === undefined) continue;
    if (!Buffer.isBuffer(blob)) throw rowShapeError('image_followup', 'descriptor', `expected a blob, received ${typeof blob}`);
    out.push({ imageId, blob });
  }
  return out;
}

export function clearFollowups(db: Db, imageIds: readonly number[]): void {
  const remove = db.prepare(`DELETE FROM image_followup WHERE image_id = ?`);
  db.transaction(() => {
    for (const id of imageIds) remove.run(id);
  })();
}
