// Keeps the catalogue's license_allow_list setting (read by the training views) equal to the library setting.
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { readSetting, writeSetting } from '../catalog/setting-repository';
import { parseJsonColumn } from '../catalog/parse-rows';

export const LICENSE_ALLOW_LIST_KEY = 'license_allow_list';

export function writeLicenseAllowList(db: Db, allowList: readonly string[]): void {
  const value = JSON.stringify([...new Set(allowList.map((s) => s.trim()).filter(Boolean))]);
  writeSetting(db, LICENSE_ALLOW_LIST_KEY, value);
}

export function readLicenseAllowList(db: Db): string[] {
  const value = readSetting(db, LICENSE_ALLOW_LIST_KEY);
  if (value === undefined) return [];
  return parseJsonColumn(z.array(z.string()), value, `setting ${LICENSE_ALLOW_LIST_KEY}`);
}
