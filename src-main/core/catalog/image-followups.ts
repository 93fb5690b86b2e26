// The follow-up queue of new images (migration 008): filled in the commit of each new image, drained by the
// library once a run has committed its files (see Library.completeFollowups).
import type { Db } from './database';

export class FollowupQueue {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT OR REPLACE INTO image_followup (image_id, descriptor) VALUES (?, ?)`);
  }

  /** Call inside the transaction that adds the image. */
  add(imageId: number, descriptor: Float32Array): void {
    this.insert.run(imageId, Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength));
  }
}

/** Images whose follow-up work is pending, in id order: this run's, and any a killed or failed run left. */
export function pendingFollowups(db: Db): number[] {
  return db.prepare(`SELECT image_id FROM image_followup ORDER BY image_id`).pluck().all() as number[];
}

/** The descriptor vectors the decode workers computed for these images. */
export function queuedDescriptors(db: Db, imageIds: readonly number[]): { imageId: number; vector: Float32Array }[] {
  const select = db.prepare(`SELECT descriptor FROM image_followup WHERE image_id = ?`).pluck();
  const out: { imageId: number; vector: Float32Array }[] = [];
  for (const imageId of imageIds) {
    const blob = select.get(imageId) as Buffer | undefined;
    if (!blob) continue;
    // Copy: a BLOB's buffer need not be 4-byte aligned.
    const vector = new Float32Array(blob.byteLength / 4);
    new Uint8Array(vector.buffer).set(blob);
    out.push({ imageId, vector });
  }
  return out;
}

export function clearFollowups(db: Db, imageIds: readonly number[]): void {
  const remove = db.prepare(`DELETE FROM image_followup WHERE image_id = ?`);
  db.transaction(() => {
    for (const id of imageIds) remove.run(id);
  })();
}
