// Transient ingest failures apart from rejections (issue 13 part 1), and images whose derivatives are missing
// with no original left to rebuild them from (part 6).
import type { Migration } from './index';

export const ingestFailuresMigration: Migration = {
  name: '009-ingest-failures',
  sql: /* sql */ `
-- A file an ingest could not finish for a reason around it (ENOSPC, EACCES, EIO, ENOENT, EMFILE, a crashed
-- worker). Never consulted to skip a file: the next run tries it again.
CREATE TABLE ingest_failure (
  path     TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  code     TEXT NOT NULL,
  errno    TEXT,
  message  TEXT NOT NULL,
  job_id   INTEGER REFERENCES job(id) ON DELETE SET NULL,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

-- Earlier versions recorded such faults as rejections, which excluded the file for good: they become failures,
-- retried by the next ingest. Only verdicts on the file's own bytes stay rejections.
INSERT INTO ingest_failure (path, size, mtime_ms, code, errno, message, job_id, at)
  SELECT path, size, mtime_ms, code, NULL, message, job_id, at FROM rejected_file
  WHERE code NOT IN ('UNSUPPORTED_FORMAT', 'FILE_TOO_LARGE', 'EMPTY_FILE', 'TOO_SMALL', 'TOO_MANY_PIXELS',
                     'CORRUPT_IMAGE', 'EXTREME_ASPECT_RATIO', 'INVALID_INPUT');
DELETE FROM rejected_file
  WHERE code NOT IN ('UNSUPPORTED_FORMAT', 'FILE_TOO_LARGE', 'EMPTY_FILE', 'TOO_SMALL', 'TOO_MANY_PIXELS',
                     'CORRUPT_IMAGE', 'EXTREME_ASPECT_RATIO', 'INVALID_INPUT');

-- Images whose derivative files are missing and that no catalogued location can rebuild (the original is gone):
-- written by ingest's verify step, cleared once rebuilt.
CREATE TABLE derivative_gap (
  image_id   INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
  missing    INTEGER NOT NULL,
  checked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
`,
};
