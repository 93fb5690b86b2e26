// ingest --license: gives photos that carry no licence (no sidecar, no source) the one the user named, audited.
import type { Db } from '../catalog/database';
import { applyLicenseChange, nextLicenseChangeId, readLicenseFields } from './license-events';
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
