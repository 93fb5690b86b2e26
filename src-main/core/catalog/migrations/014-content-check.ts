// Near-duplicate content check (issue 14): the small grey rendition each image is verified with, and why each
// cluster member matched its representative (a MatchExplanation as JSON, null for curator merges).
import type { Migration } from './index';

export const contentCheckMigration: Migration = {
  name: '014-content-check',
  sql: /* sql */ `
CREATE TABLE match_thumbnail (
  image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  data BLOB NOT NULL
);
ALTER TABLE cluster_member ADD COLUMN match_json TEXT;
`,
};
