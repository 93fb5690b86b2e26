// Foundation schema: images (unique content), their locations, rejected files, jobs, labels and audit.
// Column names follow the MINDEX `media.image` design so that sync is a mapping, not a translation.
import type { Migration } from './index';

export const foundationMigration: Migration = {
  name: '001-foundation',
  sql: /* sql */ `
CREATE TABLE image (
  id                INTEGER PRIMARY KEY,
  sha256            TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  perceptual_hash   TEXT NOT NULL CHECK (length(perceptual_hash) = 16),
  -- Opaque near-duplicate fingerprints written by imaging/fingerprint.ts (versioned there).
  fingerprint       BLOB,
  fingerprint_version INTEGER NOT NULL DEFAULT 0,
  format            TEXT NOT NULL,
  width             INTEGER NOT NULL,
  height            INTEGER NOT NULL,
  file_size         INTEGER NOT NULL,
  quality_score     REAL NOT NULL,
  quality_resolution REAL NOT NULL,
  quality_sharpness REAL NOT NULL,
  quality_noise     REAL NOT NULL,
  quality_colour    REAL NOT NULL,
  is_hq             INTEGER NOT NULL DEFAULT 0,
  license           TEXT,
  attribution       TEXT,
  source_url        TEXT,
  observation_group TEXT,
  captured_at       TEXT,
  camera_make       TEXT,
  camera_model      TEXT,
  gps_lat           REAL,
  gps_lon           REAL,
  exif_json         TEXT,
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX image_quality ON image(quality_score);
CREATE INDEX image_phash ON image(perceptual_hash);
CREATE INDEX image_updated ON image(updated_at);
CREATE INDEX image_source_url ON image(source_url);

-- One row per file path; many paths may hold the same content (one image).
CREATE TABLE location (
  id            INTEGER PRIMARY KEY,
  image_id      INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  path          TEXT NOT NULL UNIQUE,
  size          INTEGER NOT NULL,
  mtime_ms      REAL NOT NULL,
  first_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  last_seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX location_image ON location(image_id);

-- Files refused at ingest, with the reason; re-checked only when their size or mtime changes.
CREATE TABLE rejected_file (
  path     TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  code     TEXT NOT NULL,
  message  TEXT NOT NULL,
  job_id   INTEGER REFERENCES job(id) ON DELETE SET NULL,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX rejected_code ON rejected_file(code);

-- Resumable units of work; the per-item checkpoint lives in job_item.
CREATE TABLE job (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running','completed','failed','cancelled','interrupted')),
  params_json TEXT NOT NULL,
  done        INTEGER NOT NULL DEFAULT 0,
  total       INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  result_json TEXT,
  started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE job_item (
  job_id  INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
  key     TEXT NOT NULL,
  status  TEXT NOT NULL CHECK (status IN ('pending','done','skipped','rejected','failed')),
  detail  TEXT,
  PRIMARY KEY (job_id, key)
) WITHOUT ROWID;
CREATE INDEX job_item_status ON job_item(job_id, status);

-- The current label of each image; every change is also appended to label_event.
CREATE TABLE label (
  image_id      INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  taxon         TEXT NOT NULL,
  rank          TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('source_claimed','model_suggested','human_verified','disputed')),
  author        TEXT,
  note          TEXT,
  evidence_json TEXT,
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX label_taxon ON label(taxon);
CREATE INDEX label_state ON label(state);

CREATE TABLE label_event (
  id            INTEGER PRIMARY KEY,
  image_id      INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
  at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  author        TEXT,
  action        TEXT NOT NULL,
  from_state    TEXT,
  to_state      TEXT,
  from_taxon    TEXT,
  to_taxon      TEXT,
  rank          TEXT,
  note          TEXT,
  evidence_json TEXT,
  -- The full label row before this event, so undo restores it exactly.
  previous_json TEXT
);
CREATE INDEX label_event_image ON label_event(image_id, id);

CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
