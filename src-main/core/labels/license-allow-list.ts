// Keeps the catalogue's license_allow_list setting (read by the training views) equal to the library setting.
import type { Db } from '../catalog/database';

export const LICENSE_ALLOW_LIST_KEY = 'license_allow_list';

export function writeLicenseAllowList(db: Db, allowList: readonly string[]): void {
  const value = JSON.stringify([...new Set(allowList.map((s) => s.trim()).filter(Boolean))]);
  db.prepare(
    `INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value <> excluded.value`,
  ).run(LICENSE_ALLOW_LIST_KEY, value);
}

export function readLicenseAllowList(db: Db): string[] {
  const row = db.prepare(`SELECT value FROM setting WHERE key = ?`).get(LICENSE_ALLOW_LIST_KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as string[]) : [];
}
