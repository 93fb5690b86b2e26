// ingest --license: gives photos that carry no licence (no sidecar, no source) the one the user named, audited;
// a photo that turns out to carry its own (another copy's sidecar, a sidecar written later) gets its own back.
import type { Db } from '../catalog/database';
import {
  applyLicenseChange,
  nextLicenseChangeId,
  parseLicenseSnapshot,
  readLicenseFields,
  readUndoCandidates,
  type LicenseFields,
} from './license-events';
import { lacksLicense } from './set-licenses';

export interface DefaultLicense {
  /** A vocabulary id (checked before the job starts). */
  license: string;
  attribution: string | null;
  author: string | null;
}

/** One per ingest run: every image it licenses shares one change id, so `license undo <folder>` reverses them together. */
export class IngestLicenseDefault {
  private changeId: number | null = null;
  applied = 0;

  constructor(
    private readonly db: Db,
    private readonly value: DefaultLicense,
  ) {}

  /**
   * Fills the licence of an image that has none (and its credit when it has none); a licence a sidecar or
   * source gave is never replaced. Runs inside the caller's transaction.
   */
  fill(imageId: number): boolean {
    const before = readLicenseFields(this.db, imageId);
    if (!before || !lacksLicense(before)) return false;
    this.changeId ??= nextLicenseChangeId(this.db);
    applyLicenseChange(this.db, {
      imageId,
      changeId: this.changeId,
      author: this.value.author,
      action: 'ingest',
      before,
      after: { license: this.value.license, attribution: before.attribution ?? this.value.attribution, sourceUrl: before.sourceUrl },
      note: 'ingest --license: the photo carried no licence',
    });
    this.applied++;
    return true;
  }
}

export interface GivenLicense {
  license: string | null;
  attribution: string | null;
}

const DEFAULT_REPLACED_NOTE = "a sidecar or source names the photo's own licence: it replaces the ingest --license default";

/**
 * The fields a sidecar or source licence gives an image whose licence only an ingest --license default filled in
 * (that default was for photos that carry none; this one now carries its own), or null when there is nothing
 * to replace: the image's licence came from elsewhere, was changed since (by hand, by undo), or is the same.
 * Whichever copy of a photo a run reads first, and however late the sidecar is written, the photo's own wins.
 */
export function licenseReplacingDefault(db: Db, imageId: number, given: GivenLicense): LicenseFields | null {
  if (!given.license || lacksLicense({ license: given.license, attribution: null, sourceUrl: null })) return null;
  const current = readLicenseFields(db, imageId);
  const [newest] = readUndoCandidates(db, imageId);
  if (!current || !newest || newest.action !== 'ingest' || current.license !== newest.license || current.license === given.license)
    return null;
  const previous = parseLicenseSnapshot(newest.previous_json);
  // Only a gap fill is a default; an earlier replacement by a sidecar (its previous was the default) is not.
  if (!lacksLicense({ license: previous.license ?? null, attribution: null, sourceUrl: null })) return null;
  const creditFromDefault = (previous.attribution ?? null) === null && current.attribution === newest.attribution;
  return {
    license: given.license,
    attribution: creditFromDefault ? (given.attribution ?? current.attribution) : current.attribution,
    sourceUrl: current.sourceUrl,
  };
}

/** Applies licenseReplacingDefault, audited (undo returns to the default); in the caller's transaction. */
export function replaceIngestDefault(db: Db, imageId: number, given: GivenLicense): boolean {
  const after = licenseReplacingDefault(db, imageId, given);
  if (!after) return false;
  applyLicenseChange(db, {
    imageId,
    changeId: nextLicenseChangeId(db),
    author: null,
    action: 'ingest',
    before: readLicenseFields(db, imageId)!,
    after,
    note: DEFAULT_REPLACED_NOTE,
  });
  return true;
}
