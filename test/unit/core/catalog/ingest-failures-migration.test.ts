// Migration 009: rejections an earlier version recorded for faults around a file (ENOSPC as INTERNAL, EACCES as
// UNREADABLE) become failures the next ingest retries; verdicts on the file stay rejections.
import { describe, expect, it } from 'vitest';
import { ingestFailuresMigration } from '../../../../src-main/core/catalog/migrations/009-ingest-failures';
import { applyMigration } from '../../../../src-main/core/catalog/migrations';
import { openTempCatalog } from '../../../fixtures/temp-library';

describe('migration 009 (ingest failures)', () => {
  it('moves non-verdict rejections to ingest_failure and keeps the rest', () => {
    const { db, cleanup } = openTempCatalog();
    try {
      // The catalogue as version 8 left it: no failure tables, old rejections.
      db.exec(`DROP TABLE ingest_failure; DROP TABLE derivative_gap;`);
      const insert = db.prepare(`INSERT INTO rejected_file (path, size, mtime_ms, code, message) VALUES (?, 1, 1, ?, ?)`);
      insert.run('/p/full.jpg', 'INTERNAL', 'ENOSPC: no space left on device, write');
      insert.run('/p/locked.jpg', 'UNREADABLE', 'EACCES: permission denied');
      insert.run('/p/broken.jpg', 'CORRUPT_IMAGE', 'cannot decode image');
      insert.run('/p/notes.jpg', 'UNSUPPORTED_FORMAT', 'not an image');
      applyMigration(db, ingestFailuresMigration);
      expect(db.prepare(`SELECT path FROM rejected_file ORDER BY path`).pluck().all()).toEqual(['/p/broken.jpg', '/p/notes.jpg']);
      expect(db.prepare(`SELECT path, code FROM ingest_failure ORDER BY path`).all()).toEqual([
        { path: '/p/full.jpg', code: 'INTERNAL' },
        { path: '/p/locked.jpg', code: 'UNREADABLE' },
      ]);
    } finally {
      cleanup();
    }
  });
});
