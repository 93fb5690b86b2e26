// Gives images a licence and credit by hand (or from ingest --license), all or nothing, each change audited.
import { LICENSE_FAMILIES, normalizeLicense, PICKABLE_LICENSE_IDS, licenseRequiresAttribution } from '../../../src-shared/licenses';
import type { LicenseSetResult } from '../../../src-shared/api/licenses';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { applyLicenseChange, nextLicenseChangeId, readLicenseFields, sameLicenseFields, type LicenseFields } from './license-events';

export interface LicenseAssignment {
  imageIds: number[];
  /** Any spelling; normalised here and refused when the vocabulary does not know it. */
  license: string;
  attribution?: string | null | undefined;
  sourceUrl?: string | null | undefined;
  /** Leave images that already have a licence as they are (a sidecar's or source's licence is never replaced). */
  onlyMissing: boolean;
  author: string | null;
  action: 'set' | 'ingest';
  note?: string | null | undefined;
}

/** The vocabulary id of what a person typed, or a clear error listing the ids to use. */
export function licenseIdFromInput(raw: string): string {
  const normalized = normalizeLicense(raw);
  if (normalized.family === 'UNKNOWN')
    throw new SporeprintError(
      'INVALID_INPUT',
      `"${raw}" is not a licence Sporeprint knows; use an id such as ${PICKABLE_LICENSE_IDS.join(', ')} (families: ${LICENSE_FAMILIES.filter((f) => f !== 'UNKNOWN').join(', ')})`,
    );
  return normalized.id;
}

/** Whether an image counts as having no licence: none recorded, or one nobody could read. */
export function lacksLicense(fields: LicenseFields): boolean {
  return fields.license === null || normalizeLicense(fields.license).family === 'UNKNOWN';
}

export function assignLicenses(db: Db, a: LicenseAssignment): LicenseSetResult {
  const license = licenseIdFromInput(a.license);
  return db.transaction((): LicenseSetResult => {
    let changeId: number | null = null;
    let changed = 0;
    let missingAttribution = 0;
    for (const imageId of a.imageIds) {
      const before = readLicenseFields(db, imageId);
      if (!before) throw new SporeprintError('NOT_FOUND', `image ${imageId} does not exist`);
      if (a.onlyMissing && !lacksLicense(before)) continue;
      const after: LicenseFields = {
        license,
        attribution: a.attribution ?? before.attribution,
        sourceUrl: a.sourceUrl ?? before.sourceUrl,
      };
      if (sameLicenseFields(before, after)) continue;
      changeId ??= nextLicenseChangeId(db);
      applyLicenseChange(db, { imageId, changeId, author: a.author, action: a.action, before, after, note: a.note ?? null });
      changed++;
      if (licenseRequiresAttribution(license) && !after.attribution?.trim()) missingAttribution++;
    }
    return {
      changeId,
      license,
      attribution: a.attribution ?? null,
      images: a.imageIds.length,
      changed,
      unchanged: a.imageIds.length - changed,
      missingAttribution,
    };
  })();
}
