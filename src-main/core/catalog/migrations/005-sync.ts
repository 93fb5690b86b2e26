// Push-sync bookkeeping: a change counter bumped by triggers, each image's last change, and what the server told us.
import type { Migration } from './index';

/**
 * Trigger body: bump the counter and stamp the image(s) with it. Written as UPDATE + INSERT-if-absent rather than
 * INSERT OR REPLACE because an outer statement's conflict clause (e.g. an UPSERT on label) would override it.
 */
function markChanged(imageId: string, from = ''): string {
  const seq = '(SELECT value FROM sync_counter WHERE id = 1)';
  const where = from ? `${from} AND` : 'WHERE';
  return `  UPDATE sync_counter SET value = value + 1 WHERE id = 1;
  UPDATE sync_change SET seq = ${seq} WHERE image_id IN (SELECT ${imageId} ${from});
  INSERT INTO sync_change (image_id, seq) SELECT ${imageId}, ${seq} ${where} NOT EXISTS (SELECT 1 FROM sync_change WHERE image_id = ${imageId});`;
}

/** The vector triggers, exported for 021, which rebuilds image_vector (dropping a table drops its triggers). */
export const SYNC_VECTOR_TRIGGERS = /* sql */ `CREATE TRIGGER sync_vector_insert AFTER INSERT ON image_vector
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.image_id')}
END;
CREATE TRIGGER sync_vector_update AFTER UPDATE OF vector ON image_vector
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.image_id')}
END;
`;

export const syncMigration: Migration = {
  name: '005-sync',
  sql: /* sql */ `
-- Key/value state of the sync target: client id, cursors, last URL (never a password), last success.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- One monotonic counter, so a cursor never goes backwards even when changed images are deleted.
CREATE TABLE sync_counter (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO sync_counter (id, value) VALUES (1, 0);
-- The counter value of each image's latest change; rows above the push cursor are pending.
CREATE TABLE sync_change (
  image_id INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL
);
CREATE INDEX sync_change_seq ON sync_change(seq);
-- Per image: the server's label revision this client last saw (conflict detection) and the last event pushed.
CREATE TABLE sync_image (
  image_id        INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  server_rev      INTEGER,
  pushed_event_id INTEGER NOT NULL DEFAULT 0
);
-- While a row exists here, writes are the server's state coming back and must not be pushed again.
CREATE TABLE sync_pull_guard (
  active INTEGER PRIMARY KEY
);

CREATE TRIGGER sync_image_insert AFTER INSERT ON image
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.id')}
END;
-- Only columns the server holds; fingerprints and EXIF refreshes do not make an image pending.
CREATE TRIGGER sync_image_update AFTER UPDATE OF sha256, perceptual_hash, format, width, height, file_size,
  quality_score, quality_resolution, quality_sharpness, quality_noise, quality_colour, is_hq, license, attribution, source_url
ON image
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.id')}
END;
CREATE TRIGGER sync_label_insert AFTER INSERT ON label
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.image_id')}
END;
CREATE TRIGGER sync_label_update AFTER UPDATE ON label
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.image_id')}
END;
CREATE TRIGGER sync_label_event_insert AFTER INSERT ON label_event
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard) AND NEW.action <> 'sync'
BEGIN
${markChanged('NEW.image_id')}
END;
-- Cluster membership decides the server's duplicate_of column (and so its training views).
CREATE TRIGGER sync_cluster_member_insert AFTER INSERT ON cluster_member
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('NEW.image_id')}
END;
CREATE TRIGGER sync_cluster_member_delete AFTER DELETE ON cluster_member
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard) AND EXISTS (SELECT 1 FROM image WHERE id = OLD.image_id)
BEGIN
${markChanged('OLD.image_id')}
END;
CREATE TRIGGER sync_cluster_representative AFTER UPDATE OF representative_id ON cluster
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
${markChanged('m.image_id', 'FROM cluster_member m WHERE m.cluster_id = NEW.id')}
END;
CREATE TRIGGER sync_duplicate_keep AFTER INSERT ON duplicate_decision
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard) AND NEW.action = 'keep'
BEGIN
${markChanged('NEW.image_a')}
END;
${SYNC_VECTOR_TRIGGERS}`,
};
