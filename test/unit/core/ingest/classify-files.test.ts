// Ingest reads every catalogued and rejected file's size and mtime on each run; those rows are checked, so a
// catalogue holding a value of the wrong type stops the run with an error naming the column instead of treating
// every file as changed.
import { describe, expect, it } from 'vitest';
import { classifyFiles } from '../../../../src-main/core/ingest/classify-files';
import { openTempCatalog } from '../../../fixtures/temp-library';

describe('classifyFiles', () => {
  it('splits files into unchanged, still rejected and to process by path, size and mtime', () => {
    const { db, cleanup } = openTempCatalog();
    try {
      const image = db
        .prepare(
          `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution,
             quality_sharpness, quality_noise, quality_colour) VALUES (?, ?, 'jpeg', 10, 10, 100, 50, 50, 50, 50, 50)`,
        )
        .run('ab'.repeat(32), '0'.repeat(16)).lastInsertRowid;
      db.prepare(`INSERT INTO location (image_id, path, size, mtime_ms) VALUES (?, '/p/a.jpg', 100, 1000.5)`).run(image);
      db.prepare(`INSERT INTO rejected_file (path, size, mtime_ms, code, message) VALUES ('/p/b.jpg', 7, 2000, 'NOT_AN_IMAGE', 'x')`).run();
      const files = [
        { path: '/p/a.jpg', size: 100, mtimeMs: 1000.5 },
        { path: '/p/b.jpg', size: 7, mtimeMs: 2000 },
        { path: '/p/b.jpg', size: 8, mtimeMs: 2000 },
        { path: '/p/c.jpg', size: 1, mtimeMs: 1 },
      ];
      const out = classifyFiles(db, files);
      expect(out.unchanged).toEqual([files[0]]);
      expect(out.stillRejected).toEqual([files[1]]);
      expect(out.toProcess).toEqual([files[2], files[3]]);

      // REAL affinity keeps a text that is not a number as text.
      db.prepare(`UPDATE location SET mtime_ms = 'yesterday'`).run();
      expect(() => classifyFiles(db, files)).toThrow(/catalogued file row .* at mtime_ms: expected a number, received string yesterday/);
    } finally {
      cleanup();
    }
  });
});
