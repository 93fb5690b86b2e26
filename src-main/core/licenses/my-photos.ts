// The "my photos" default (licence + the photographer's name), kept in the catalogue's settings so every client sees it.
import type { MyPhotosDefault } from '../../../src-shared/api/licenses';
import type { Db } from '../catalog/database';
import { licenseIdFromInput } from './set-licenses';

const KEY = 'my_photos';

export function readMyPhotos(db: Db): MyPhotosDefault | null {
  const raw = db.prepare(`SELECT value FROM setting WHERE key = ?`).pluck().get(KEY) as string | undefined;
  if (!raw) return null;
  const parsed = JSON.parse(raw) as Partial<MyPhotosDefault>;
  return parsed.license && parsed.attribution ? { license: parsed.license, attribution: parsed.attribution } : null;
}

export function writeMyPhotos(db: Db, value: MyPhotosDefault): MyPhotosDefault {
  const stored = { license: licenseIdFromInput(value.license), attribution: value.attribution.trim() };
  db.prepare(`INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
    KEY,
    JSON.stringify(stored),
  );
  return stored;
}
