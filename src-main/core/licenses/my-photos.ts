// Who a licence change is recorded under, and the "my photos" default (licence + the photographer's name), kept in the catalogue's settings so every client sees it.
import type { MyPhotosDefault } from '../../../src-shared/api/licenses';
import os from 'node:os';
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { parseJsonColumn } from '../catalog/parse-rows';
import { readSetting, writeSetting } from '../catalog/setting-repository';
import { SporeprintError } from '../errors';
import type { LibraryContext } from '../library-context';
import { licenseIdFromInput } from './set-licenses';

const KEY = 'my_photos';
const storedDefault = z.object({ license: z.string().optional(), attribution: z.string().optional() });

export function readMyPhotos(db: Db): MyPhotosDefault | null {
  const raw = readSetting(db, KEY);
  if (!raw) return null;
  const parsed = parseJsonColumn(storedDefault, raw, `setting ${KEY}`);
  return parsed.license && parsed.attribution ? { license: parsed.license, attribution: parsed.attribution } : null;
}

export function writeMyPhotos(db: Db, value: MyPhotosDefault): MyPhotosDefault {
  const stored = { license: licenseIdFromInput(value.license), attribution: value.attribution.trim() };
  writeSetting(db, KEY, JSON.stringify(stored));
  return stored;
}

/** Who a change is recorded under when the caller names no one: the library's curator, else the OS user. */
export function defaultAuthor(ctx: LibraryContext): string | null {
  if (ctx.config.SPOREPRINT_CURATOR) return ctx.config.SPOREPRINT_CURATOR;
  try {
    return os.userInfo().username || null;
  } catch {
    // No passwd entry (some containers): the change is still recorded, without a name.
    return null;
  }
}

/** The stored default, or an error saying how to set one. */
export function requireMyPhotos(ctx: LibraryContext): MyPhotosDefault {
  const mine = readMyPhotos(ctx.db);
  if (!mine)
    throw new SporeprintError(
      'INVALID_INPUT',
      'no "my photos" default is set: set one with `sporeprint license default --license CC-BY-4.0 --attribution "Your Name"` (or in Settings)',
    );
  return mine;
}
