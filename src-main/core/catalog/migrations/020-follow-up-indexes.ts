// Indexes for the checks every ingest makes after its commit (fingerprints to upgrade, match thumbnails to backfill):
// without them each check read the whole image table, 1.4-2.2 s per ingest at 99k images however few were added.
import type { Migration } from './index';

export const followUpIndexesMigration: Migration = {
  name: '020-follow-up-indexes',
  sql: /* sql */ `
-- Fingerprints of an older version: found by a range of this index instead of a scan.
CREATE INDEX image_fingerprint_version ON image(fingerprint_version);
-- Images without a fingerprint (decode gave none): few, so a partial index.
CREATE INDEX image_fingerprint_missing ON image(id) WHERE fingerprint IS NULL;
-- How many images have a current match thumbnail, counted from this index alone.
CREATE INDEX match_thumbnail_version ON match_thumbnail(version);
`,
};
