// Sync pushes the compression-artefacts component (quality v2) to the server's media.image.quality_artefacts: a
// change of it alone makes an image pending, and images scored by v2 before this migration are pending once so
// the server receives the measure it lacks (the push updates only rows where something differs).
import type { Migration } from './index';

export const syncQualityArtefactsMigration: Migration = {
  name: '017-sync-quality-artefacts',
  sql: /* sql */ `
DROP TRIGGER sync_image_update;
CREATE TRIGGER sync_image_update AFTER UPDATE OF sha256, perceptual_hash, format, width, height, file_size,
  quality_score, quality_resolution, quality_sharpness, quality_noise, quality_colour, quality_artefacts, is_hq,
  license, attribution, source_url
ON image
WHEN NOT EXISTS (SELECT 1 FROM sync_pull_guard)
BEGIN
  UPDATE sync_counter SET value = value + 1 WHERE id = 1;
  UPDATE sync_change SET seq = (SELECT value FROM sync_counter WHERE id = 1) WHERE image_id = NEW.id;
  INSERT INTO sync_change (image_id, seq) SELECT NEW.id, (SELECT value FROM sync_counter WHERE id = 1)
  WHERE NOT EXISTS (SELECT 1 FROM sync_change WHERE image_id = NEW.id);
END;
UPDATE sync_counter SET value = value + 1 WHERE id = 1;
UPDATE sync_change SET seq = (SELECT value FROM sync_counter WHERE id = 1)
WHERE image_id IN (SELECT id FROM image WHERE quality_version >= 2);
INSERT INTO sync_change (image_id, seq)
SELECT id, (SELECT value FROM sync_counter WHERE id = 1) FROM image
WHERE quality_version >= 2 AND id NOT IN (SELECT image_id FROM sync_change);
`,
};
