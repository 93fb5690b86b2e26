// Model suggestions per image (zero-shot CLIP over a taxon vocabulary), kept beside the label itself.
import type { Migration } from './index';

export const labelsMigration: Migration = {
  name: '003-labels',
  sql: /* sql */ `
CREATE TABLE label_suggestion (
  image_id   INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  model_id   TEXT NOT NULL,
  taxon      TEXT NOT NULL,
  score      REAL NOT NULL,
  position   INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (image_id, model_id, position)
);
`,
};
