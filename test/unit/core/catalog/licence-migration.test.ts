// Migration 009 normalises licences stored before the vocabulary and logs each change in license_event.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCatalog } from '../../../../src-main/core/catalog/database';
import { applyMigration, MIGRATIONS } from '../../../../src-main/core/catalog/migrations';
import { makeTempDir } from '../../../fixtures/temp-library';

describe('migration 009-licences', () => {
  it('rewrites old spellings to vocabulary ids and records what they were', () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = path.join(dir, 'catalog.db');
      // A catalogue at version 8, with licences as older versions stored them.
      const old = new Database(file);
      old.function('hamming_distance', () => 0);
      old.function('normalize_license', (x: unknown) => x);
      for (const m of MIGRATIONS.slice(0, 8)) applyMigration(old, m);
      old.pragma('user_version = 8');
      const insert = old.prepare(
        `INSERT INTO image (sha256, perceptual_hash, format, width, height, file_size, quality_score, quality_resolution,
           quality_sharpness, quality_noise, quality_colour, license) VALUES (?, '0000000000000000', 'jpeg', 10, 10, 1, 50, 0, 0, 0, 0, ?)`,
      );
      const raw = ['CC_BY_4_0', 'http://creativecommons.org/licenses/by-sa/3.0/', 'CC-BY-4.0', null, 'see website'];
      raw.forEach((license, i) => insert.run(String(i).padStart(64, '0'), license));
      old.close();

      const db = openCatalog(file);
      const licenses = db.prepare(`SELECT license FROM image ORDER BY id`).pluck().all();
      expect(licenses).toEqual(['CC-BY-4.0', 'CC-BY-SA-3.0', 'CC-BY-4.0', null, 'UNKNOWN']);
      const events = db
        .prepare(`SELECT action, license, json_extract(previous_json, '$.license') AS was FROM license_event ORDER BY id`)
        .all();
      expect(events).toEqual([
        { action: 'normalize', license: 'CC-BY-4.0', was: 'CC_BY_4_0' },
        { action: 'normalize', license: 'CC-BY-SA-3.0', was: 'http://creativecommons.org/licenses/by-sa/3.0/' },
        { action: 'normalize', license: 'UNKNOWN', was: 'see website' },
      ]);
      db.close();
    } finally {
      cleanup();
    }
  });
});
