// Several curators on one server: the conflicting claims the last sync found for this library's images.
import type { Migration } from './index';

export const syncClaimsMigration: Migration = {
  name: '011-sync-claims',
  sql: /* sql */ `
-- Replaced whole by each sync: one row per image and field where curators' non-null claims differ on the server.
CREATE TABLE sync_conflict (
  image_id    INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  shown       TEXT,
  -- [{ "client": id, "author": name|null, "value": text }], as the server's media.claim_conflict lists them.
  claims_json TEXT NOT NULL,
  PRIMARY KEY (image_id, field)
);
-- The push reads each image's online source (MINDEX source) by image.
CREATE INDEX IF NOT EXISTS source_fetch_image ON source_fetch(image_id);
`,
};
