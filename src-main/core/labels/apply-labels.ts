// A bulk decision applied to the images it can apply to: each image on its own, the rest reported with the reason,
// so one already verified image in a selection of forty never blocks the other thirty-nine.
import type { ApplyReport } from '../../../src-shared/api/labels';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { readLabelRow } from './label-repository';
import { setLabels, type LabelDecision } from './set-label';

/** User errors leave one image as is; anything else (a database fault) stops the whole call. */
const LEFT_AS_IS = new Set(['INVALID_TRANSITION', 'INVALID_INPUT', 'NOT_FOUND']);

export function applyLabels(db: Db, decision: LabelDecision): ApplyReport {
  const report: ApplyReport = { applied: [], skipped: [] };
  for (const imageId of decision.imageIds) {
    try {
      setLabels(db, { ...decision, imageIds: [imageId] });
      report.applied.push(imageId);
    } catch (err) {
      if (!(err instanceof SporeprintError) || !LEFT_AS_IS.has(err.code)) throw err;
      report.skipped.push({ imageId, state: readLabelRow(db, imageId)?.state ?? null, reason: err.message });
    }
  }
  return report;
}
