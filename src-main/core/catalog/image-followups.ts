// The follow-up queue of new images (migration 007): filled in the commit of each new image, drained by the
// library once a run has committed its files (see Library.completeFollowups).
import type { Db } from './database';

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
  return db.prepare(`SELECT image_id FROM image_followup ORDER BY image_id`).pluck().all() as number[];
}

/** The descriptor vectors the decode workers computed for these images, as stored (vector-store fromBlob reads them). */
export function queuedDescriptors(db: Db, imageIds: readonly number[]): { imageId: number; blob: Buffer }[] {
  const select = db.prepare(`SELECT descriptor FROM image_followup WHERE image_id = ?`).pluck();
  const out: { imageId: number; blob: Buffer }[] = [];
  for (const imageId of imageIds) {
    const blob = select.get(imageId) as Buffer | undefined;
    if (blob) out.push({ imageId, blob });
  }
  return out;
}

export function clearFollowups(db: Db, imageIds: readonly number[]): void {
  const remove = db.prepare(`DELETE FROM image_followup WHERE image_id = ?`);
  db.transaction(() => {
    for (const id of imageIds) remove.run(id);
  })();
}
