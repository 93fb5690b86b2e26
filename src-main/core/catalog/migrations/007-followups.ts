// Schema of the work that follows the commit of a new image: its descriptor vector, clustering, the active
// model's vector. Queued in the catalogue so that a killed run leaves it for the next run instead of losing it.
import type { Migration } from './index';

export const followupsMigration: Migration = {
  name: '007-followups',
  sql: /* sql */ `
-- One row per new image whose follow-up work has not run yet: written in the transaction that adds the image,
-- deleted once the work is done.
CREATE TABLE image_followup (
  image_id   INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  -- The descriptor vector the decode worker computed from the decoded picture (little-endian float32), kept
  -- here until it is stored in image_vector and its index, so it is never computed again from a derivative.
  descriptor BLOB NOT NULL
);
`,
};
