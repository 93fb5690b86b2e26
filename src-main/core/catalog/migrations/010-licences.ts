// Licences and provenance (issue 15): every stored licence normalised to the one vocabulary (src-shared/licenses.ts,
// through the normalize_license SQL function the connection registers), a licence audit table so each change
// is recorded with author and time and can be undone, and the memory of failed downloads (back-off).
import type { Migration } from './index';

export const licencesMigration: Migration = {
  name: '010-licences',
  sql: /* sql */ `
-- One row per licence change of one image. change_id groups the rows of one command (a folder set is one change).
CREATE TABLE license_event (
  id            INTEGER PRIMARY KEY,
  image_id      INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  change_id     INTEGER NOT NULL,
  at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  author        TEXT,
  -- set: by hand; ingest: ingest --license for a photo that carried none; normalize: this migration; undo.
  action        TEXT NOT NULL CHECK (action IN ('set','ingest','normalize','undo')),
  license       TEXT,
  attribution   TEXT,
  source_url    TEXT,
  -- {license, attribution, sourceUrl} before this event, so undo restores it exactly.
  previous_json TEXT NOT NULL,
  -- For an undo: the event it cancelled.
  undoes        INTEGER REFERENCES license_event(id) ON DELETE SET NULL,
  note          TEXT
);
CREATE INDEX license_event_image ON license_event(image_id, id);
CREATE INDEX license_event_change ON license_event(change_id);

-- Spellings stored before the vocabulary (URLs, "CC BY-SA 3.0", GBIF codes) become ids; each change is logged.
INSERT INTO license_event (image_id, change_id, author, action, license, attribution, source_url, previous_json, note)
SELECT id, 0, 'migration 009', 'normalize', normalize_license(license), attribution, source_url,
       json_object('license', license, 'attribution', attribution, 'sourceUrl', source_url), 'licence spelling normalised'
FROM image WHERE license IS NOT NULL AND license IS NOT normalize_license(license);
UPDATE image SET license = normalize_license(license) WHERE license IS NOT NULL AND license IS NOT normalize_license(license);
UPDATE source_fetch SET license = normalize_license(license) WHERE license IS NOT normalize_license(license);

-- A download that failed (truncated, not an image, refused) is retried only after a back-off that grows per attempt.
ALTER TABLE source_fetch ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE source_fetch ADD COLUMN retry_after TEXT;
`,
};
