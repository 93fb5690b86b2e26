// Conflicting claims a curator resolved on the server (sync resolve): pulled by each sync for sync --status and the Sync view.
import type { Migration } from './index';

export const syncResolutionsMigration: Migration = {
  name: '018-sync-resolutions',
  sql: /* sql */ `
-- Replaced whole by each sync, like sync_conflict: the server's media.claim_resolution rows for this library's images.
CREATE TABLE sync_resolution (
  image_id    INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  value       TEXT,
  client      TEXT NOT NULL,
  author      TEXT,
  resolved_at TEXT NOT NULL,
  PRIMARY KEY (image_id, field)
);
`,
};
