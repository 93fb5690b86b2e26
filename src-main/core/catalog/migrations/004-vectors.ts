// Vectors schema: embedding models known to the library and one float32 vector per image per model.
// The catalogue is the source of truth; the HNSW files in index/ are caches rebuilt from image_vector.
import type { Migration } from './index';

export const vectorsMigration: Migration = {
  name: '004-vectors',
  sql: /* sql */ `
CREATE TABLE embedding_model (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('clip','descriptor','remote')),
  vector_size INTEGER NOT NULL CHECK (vector_size > 0),
  -- Library-relative folder of a local model (models/<safe id>), NULL for built-in or remote providers.
  path        TEXT,
  added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Little-endian float32, L2-normalised, length = embedding_model.vector_size * 4.
CREATE TABLE image_vector (
  model_id   TEXT NOT NULL REFERENCES embedding_model(id) ON DELETE CASCADE,
  image_id   INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  vector     BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (model_id, image_id)
) WITHOUT ROWID;
CREATE INDEX image_vector_image ON image_vector(image_id);
-- Compact (model_id, image_id) pairs: counting and checksumming a model's ids must not read its vectors.
CREATE INDEX image_vector_model ON image_vector(model_id);
`,
};
