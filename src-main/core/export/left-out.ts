// What an export left out and why: catalogued images the view's own rules drop, and each filter's count, each
// with what to do about it. One list that the CLI summary, the UI and the datasheet all print.
import type { ExportLeftOut, ExportPlan, ExportView, LeftOutRule } from '../../../src-shared/api/export';
import { HQ_MIN_LONG_EDGE, HQ_MIN_SCORE } from '../../../src-shared/defaults';
import { isLicenseUnknown } from '../../../src-shared/licenses';
import * as z from 'zod';
import type { Db } from '../catalog/database';
import { parseCount, parseRows } from '../catalog/parse-rows';
import type { LoadedRows } from './export-rows';
import { hasView } from './export-rows';

export interface ViewFunnel {
  catalogued: number;
  notInView: ExportPlan['notInView'];
  /** Rows training_hq itself refused for their licence (its allow-list lives in the catalogue settings). */
  viewLicenseUnknown: number;
  viewLicenseNotAllowed: number;
  /** Catalogued images with no known licence, whatever the view: said with an empty export the view explains. */
  withoutLicense: number;
}

const count = (db: Db, sql: string) => parseCount(db.prepare(sql).pluck().get(), 'export funnel count');
const licenseCount = z.object({ license: z.string().nullable(), n: z.number().int() });

/** Counts the catalogue's images that never reach the export's rows, by the view rule that stops them. */
export function viewFunnel(db: Db, view: ExportView, loaded: LoadedRows): ViewFunnel {
  const hq = `i.quality_score >= ${HQ_MIN_SCORE} AND max(i.width, i.height) >= ${HQ_MIN_LONG_EDGE}`;
  const notInView: ExportPlan['notInView'] = {
    unlabelled: count(db, `SELECT count(*) FROM image i WHERE NOT EXISTS (SELECT 1 FROM label l WHERE l.image_id = i.id)`),
    disputed: count(db, `SELECT count(*) FROM label WHERE state = 'disputed'`),
    notVerified:
      view === 'training_verified' ? count(db, `SELECT count(*) FROM label WHERE state NOT IN ('disputed', 'human_verified')`) : 0,
    belowHq:
      view === 'training_hq'
        ? count(db, `SELECT count(*) FROM image i JOIN label l ON l.image_id = i.id WHERE l.state <> 'disputed' AND NOT (${hq})`)
        : 0,
  };
  let viewLicenseUnknown = 0;
  let viewLicenseNotAllowed = 0;
  if (view === 'training_hq' && loaded.source === 'view' && hasView(db, 'training_general')) {
    // The HQ-sized rows of training_general that training_hq does not hold: its licence rule removed them.
    const refused = db
      .prepare(
        `SELECT t.license AS license, count(*) AS n FROM training_general t JOIN image i ON i.id = t.image_id
         WHERE ${hq} AND t.image_id NOT IN (SELECT image_id FROM training_hq) GROUP BY t.license`,
      )
      .all();
    for (const r of parseRows(licenseCount, refused, 'training_hq licence count')) {
      if (isLicenseUnknown(r.license)) viewLicenseUnknown += r.n;
      else viewLicenseNotAllowed += r.n;
    }
  }
  let withoutLicense = 0;
  const licences = db.prepare(`SELECT license, count(*) AS n FROM image GROUP BY license`).all();
  for (const r of parseRows(licenseCount, licences, 'catalogue licence count')) if (isLicenseUnknown(r.license)) withoutLicense += r.n;
  return { catalogued: count(db, `SELECT count(*) FROM image`), notInView, viewLicenseUnknown, viewLicenseNotAllowed, withoutLicense };
}

const FIX_LICENSE =
  'set one with `sporeprint license set <folder> --license CC-BY-4.0 --attribution "Your Name"` (or Library > Set licence)';

/** Every rule that removed at least one image, largest first, each with what the user can do. */
export function leftOutRules(
  plan: Omit<ExportPlan, 'leftOut' | 'emptyReason'>,
  view: ExportView,
  allowList: readonly string[],
): ExportLeftOut[] {
  const n = plan.notInView;
  const notInViewTotal = n.unlabelled + n.disputed + n.notVerified + n.belowHq;
  const smallClassImages = plan.excludedClasses.reduce((s, c) => s + c.images, 0);
  const notInViewParts = [
    n.unlabelled ? `${n.unlabelled} have no label (name their folder after the species, or add a sidecar with scientific_name)` : '',
    n.notVerified
      ? `${n.notVerified} are labelled but not human-verified, and ${view} holds verified labels only (verify them in the Verify view or with \`sporeprint label\`, or export with --view training_general)`
      : '',
    n.belowHq
      ? `${n.belowHq} are below the HQ bar (long edge >= ${HQ_MIN_LONG_EDGE} px, quality >= ${HQ_MIN_SCORE}; --view training_general takes them)`
      : '',
    n.disputed ? `${n.disputed} have a disputed label (settle it in the Verify view)` : '',
  ].filter(Boolean);
  const rules: ExportLeftOut[] = [
    { rule: 'not_in_view', images: notInViewTotal, hint: `not in ${view}: ${notInViewParts.join('; ')}` },
    {
      rule: 'license_unknown',
      images: plan.excludedLicenseUnknown,
      hint: `${plan.excludedLicenseUnknown} photo(s) have no licence: ${FIX_LICENSE}`,
    },
    {
      rule: 'license_not_allowed',
      images: plan.excludedByLicense,
      hint: `${plan.excludedByLicense} photo(s) have a licence outside the allow-list (${allowList.join(', ')}): include one with --licenses (e.g. --licenses ${[...allowList, 'CC-BY-NC'].join(',')}) only if your use allows it`,
    },
    {
      rule: 'attribution_missing',
      images: plan.excludedMissingAttribution,
      hint: `${plan.excludedMissingAttribution} photo(s) need a credit line their licence requires: add one with \`sporeprint license set <folder> --license <ID> --attribution "Name"\``,
    },
    {
      rule: 'duplicate_member',
      images: plan.duplicatesDropped,
      hint: `${plan.duplicatesDropped} near-duplicate cluster member(s): one per cluster is exported (--all-duplicates keeps all, in one split)`,
    },
    {
      rule: 'coarser_rank',
      images: plan.excludedCoarserRank,
      hint: `${plan.excludedCoarserRank} photo(s) labelled above the class rank (e.g. genus only): --taxon-rank genus includes them`,
    },
    {
      rule: 'class_too_small',
      images: smallClassImages,
      hint: `${plan.excludedClasses.length} class(es) with fewer images than --min-per-class (${smallClassImages} photo(s)): lower --min-per-class or add photos`,
    },
    {
      rule: 'over_max_per_class',
      images: plan.cappedByMaxPerClass,
      hint: `${plan.cappedByMaxPerClass} photo(s) over --max-per-class (the best quality were kept)`,
    },
  ];
  return rules.filter((r) => r.images > 0).sort((a, b) => b.images - a.images);
}

/**
 * Why an export holds nothing, and what to do; null when it holds something. When the view keeps photos out
 * before their licences are looked at, a missing licence is said too, so it is not the next surprise.
 */
export function emptyExportReason(
  plan: Pick<ExportPlan, 'images' | 'catalogued'>,
  leftOut: readonly ExportLeftOut[],
  withoutLicense = 0,
): string | null {
  if (plan.images > 0) return null;
  if (plan.catalogued === 0) return 'the library has no photos yet: ingest a folder first (`sporeprint ingest <folder>`)';
  if (leftOut.length === 0) return 'no labelled photo matches these options';
  const reasons = leftOut.map((r) => r.hint);
  if (withoutLicense > 0 && !leftOut.some((r) => r.rule === 'license_unknown'))
    reasons.push(`and ${withoutLicense} catalogued photo(s) have no licence: ${FIX_LICENSE}`);
  return `nothing to export from ${plan.catalogued} catalogued photo(s): ${reasons.join('; ')}`;
}

export type { LeftOutRule };
