// image_vector rebuilt as a rowid table. WITHOUT ROWID (004) kept each 2 KB vector in an index b-tree, whose cells
// hold ~1000 bytes locally: every vector spilled into an overflow page, and the interior pages, which carry whole
// keys (the vector's first kilobyte included), held ~7 cells each, so the tree was 5-6 levels deep and a vector read
// by id cost ~40 us of CPU at 100k. As a rowid table the vector sits in one leaf page of a 3-level tree, found
// through a compact (model_id, image_id) index.
import type { Db } from '../database';
import { parseCount, parseOptionalId, parseTexts } from '../parse-rows';
import { SYNC_VECTOR_TRIGGERS } from './005-sync';
import type { Migration } from './index';

/**
 * Rows moved per step: each step's deleted pages hold the next step's rows, so the file grows by about one batch
 * (a page per 2 KB vector, 2 MB), not by the table.
 */
const BATCH = 500;
/** From this many vectors (a minute or more at 1M) the move tells how far it is, at each tenth of the rows. */
export const PROGRESS_FROM_VECTORS = 50_000;

/** Read from the compact (model, image) index while it exists, not from the vectors. */
const countVectors = (db: Db) => parseCount(db.prepare(`SELECT count(*) FROM image_vector`).pluck().get(), 'stored vectors');

export const vectorRowsMigration: Migration = {
  name: '021-vector-rows',
  announce(db: Db): string | null {
    const vectors = countVectors(db);
    if (vectors === 0) return null;
    // Measured: 122-262 s of wall time at 1M 512-d vectors on a loaded 2-core machine, 5-7 s of CPU at 100k.
    const seconds = Math.max(1, Math.round((vectors * 150) / 1_000_000));
    const estimate = seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
    return (
      `updating the catalogue: rewriting its ${vectors.toLocaleString('en-US')} stored vectors for faster search ` +
      `(once, about ${estimate} on a 2-core machine; stopping it is safe, it starts again the next time the library opens)`
    );
  },
  apply(db: Db, tell?: (what: string) => void): void {
    // Counted only for a listener, and before the index is dropped below.
    const total = tell ? countVectors(db) : 0;
    db.exec(/* sql */ `
DROP INDEX image_vector_image;
DROP INDEX image_vector_model;
-- Little-endian float32, L2-normalised, length = embedding_model.vector_size * 4.
CREATE TABLE image_vector_rows (
  id         INTEGER PRIMARY KEY,
  model_id   TEXT NOT NULL REFERENCES embedding_model(id) ON DELETE CASCADE,
  image_id   INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  vector     BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);`);
    moveRows(db, tell && total >= PROGRESS_FROM_VECTORS ? progressTeller(total, tell) : undefined);
    db.exec(/* sql */ `
DROP TABLE image_vector;
ALTER TABLE image_vector_rows RENAME TO image_vector;
-- The old primary key, and what image_vector_model was: compact (model_id, image_id) pairs, so counting and
-- checksumming a model's ids never reads its vectors.
CREATE UNIQUE INDEX image_vector_model ON image_vector(model_id, image_id);
CREATE INDEX image_vector_image ON image_vector(image_id);
${SYNC_VECTOR_TRIGGERS}`);
  },
};

/**
 * Every row into image_vector_rows in key order (so rowids follow (model_id, image_id) and a model's vectors in id
 * order lie in neighbouring pages), a batch at a time, each batch deleted from the old table once copied: the pages
 * it frees take the next batches, where one INSERT ... SELECT of the whole table would leave the file larger by the
 * old table's size (at 100k vectors 529 MB became 939 MB, the difference free pages).
 */
function moveRows(db: Db, moved?: (rows: number) => void): void {
  const models = parseTexts(db.prepare(`SELECT DISTINCT model_id FROM image_vector ORDER BY model_id`).pluck().all(), 'vector models');
  const bound = db.prepare(`SELECT image_id FROM image_vector WHERE model_id = ? ORDER BY image_id LIMIT 1 OFFSET ${BATCH - 1}`).pluck();
  const copy = db.prepare(`INSERT INTO image_vector_rows (model_id, image_id, vector, created_at)
    SELECT model_id, image_id, vector, created_at FROM image_vector WHERE model_id = ? AND image_id <= ? ORDER BY image_id`);
  const remove = db.prepare(`DELETE FROM image_vector WHERE model_id = ? AND image_id <= ?`);
  for (const model of models) {
    for (;;) {
      const last = parseOptionalId(bound.get(model), 'vector batch bound');
      const upTo = last ?? Number.MAX_SAFE_INTEGER;
      const copied = copy.run(model, upTo).changes;
      remove.run(model, upTo);
      moved?.(copied);
      if (last === undefined) break;
    }
  }
}

/** Counts the rows moved and tells each tenth of `total` reached, as a sentence ("... 100,000 of 1,000,000 ..."). */
function progressTeller(total: number, tell: (what: string) => void): (rows: number) => void {
  let done = 0;
  let tenths = 0;
  return (rows) => {
    done += rows;
    const reached = Math.floor((done * 10) / total);
    if (reached <= tenths) return;
    tenths = reached;
    tell(
      `updating the catalogue: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} stored vectors rewritten ` +
        `(${tenths * 10} %)`,
    );
  };
}
