// Schema of the online sources: every remote photo fetch-hq or import-dwca planned, with its outcome.
import type { Migration } from './index';

export const sourcesMigration: Migration = {
  name: '006-sources',
  sql: `
-- One row per remote file URL ever planned. It is the job's resumable plan (with job_item) and the memory
-- that keeps later runs from downloading again what was already taken, refused or found to be a duplicate.
CREATE TABLE source_fetch (
  url               TEXT PRIMARY KEY,
  source            TEXT NOT NULL,
  taxon             TEXT,
  rank              TEXT,
  license           TEXT NOT NULL,
  attribution       TEXT,
  page_url          TEXT,
  observation_group TEXT,
  width             INTEGER,
  height            INTEGER,
  status            TEXT NOT NULL CHECK (status IN ('planned','downloaded','ingested','duplicate','near_duplicate','rejected','failed')),
  file_path         TEXT,
  sha256            TEXT,
  image_id          INTEGER REFERENCES image(id) ON DELETE SET NULL,
  detail            TEXT,
  job_id            INTEGER REFERENCES job(id) ON DELETE SET NULL,
  updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX source_fetch_job ON source_fetch(job_id, status);
CREATE INDEX source_fetch_taxon ON source_fetch(taxon);
`,
};
