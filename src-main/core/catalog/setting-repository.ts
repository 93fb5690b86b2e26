// The `setting` table (one text value per key): the licence allow-list the training views read, the active model,
// the duplicate thresholds, the "my photos" default. Each domain owns its keys and what the text means.
import type { Db } from './database';
import { parseOptionalText } from './parse-rows';

export function readSetting(db: Db, key: string): string | undefined {
  return parseOptionalText(db.prepare(`SELECT value FROM setting WHERE key = ?`).pluck().get(key), `setting ${key}`);
}

/** An unchanged value is not rewritten, so the catalogue's data version (and every cache keyed on it) stays put. */
export function writeSetting(db: Db, key: string, value: string): void {
  db.prepare(
    `INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value`,
  ).run(key, value);
}
