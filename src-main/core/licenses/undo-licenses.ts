// Undo of licence changes: each image returns to exactly what its newest not-yet-undone change replaced.
import type { LicenseState } from '../../../src-shared/api/licenses';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { applyLicenseChange, nextLicenseChangeId, parseLicenseSnapshot, readLicenseFields, readUndoCandidates } from './license-events';

/**
 * Repeated undo walks further back. The migration's spelling normalisation is not undone (it changed how a
 * licence is written, not which licence it is). Images with nothing to undo are left alone; when none of the
 * named images has anything, that is an error rather than a silent no-op.
 */
export function undoLicenseChanges(db: Db, imageIds: readonly number[], author: string | null): { undone: number; images: LicenseState[] } {
  return db.transaction(() => {
    let changeId: number | null = null;
    const images: LicenseState[] = [];
    for (const imageId of imageIds) {
      const events = readUndoCandidates(db, imageId);
      const undone = new Set(events.map((e) => e.undoes).filter((id): id is number => id !== null));
      const target = events.find((e) => e.action !== 'undo' && e.action !== 'normalize' && !undone.has(e.id));
      if (!target) continue;
      const before = readLicenseFields(db, imageId)!;
      const restored = parseLicenseSnapshot(target.previous_json);
      changeId ??= nextLicenseChangeId(db);
      applyLicenseChange(db, {
        imageId,
        changeId,
        author,
        action: 'undo',
        before,
        after: { license: restored.license ?? null, attribution: restored.attribution ?? null, sourceUrl: restored.sourceUrl ?? null },
        undoes: target.id,
        note: `undo of licence event ${target.id} (${target.action})`,
      });
      images.push({ imageId, ...readLicenseFields(db, imageId)! });
    }
    if (images.length === 0)
      throw new SporeprintError(
        'INVALID_TRANSITION',
        imageIds.length === 1
          ? `image ${imageIds[0]} has no licence change to undo`
          : `none of the ${imageIds.length} images has a licence change to undo`,
      );
    return { undone: images.length, images };
  })();
}
