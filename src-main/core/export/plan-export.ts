// Decides an export without writing anything: rows, filters, group-aware split and a leak-free check.
import type { ExportOptionsParsed, ExportPlan } from '../../../src-shared/api/export';
import type { Db } from '../catalog/database';
import { JoinWorkers } from '../duplicates/parallel-join';
import { SporeprintError } from '../errors';
import { loadExportRows, snapshotCatalog, type CatalogSnapshot } from './export-rows';
import { emptyExportReason, leftOutRules, viewFunnel, type ViewFunnel } from './left-out';
import { leakConfirmer } from './confirm-leaks';
import { findCrossSplitLeaks, loadRowHashes, type LeakageReport } from './leakage-report';
import { repairLeaks, type RepairedSplit } from './repair-leaks';
import { compareStrings, selectImages, type Selection } from './select-images';
import { assignSplits, SPLIT_NAMES, type SplitAssignment } from './split-groups';

export interface ExportDesign {
  options: ExportOptionsParsed;
  licenses: readonly string[];
  duplicateThreshold: number;
  selection: Selection;
  split: SplitAssignment;
  leakage: LeakageReport;
  /** Near-duplicate pairs the first split put apart, joined into one split since; reported in the datasheet. */
  regroupedPairs: number;
  /** Rows moved to another split to join them. */
  movedRows: number;
  snapshot: CatalogSnapshot;
  /** Catalogued images the view's rules keep out, for the "left out" report. */
  funnel: ViewFunnel;
}

export interface DesignSettings {
  licenses: readonly string[];
  duplicateThreshold: number;
}

/** Loads, filters and splits; the two leakage checks run on worker threads (see JoinWorkers). */
export async function designExport(db: Db, options: ExportOptionsParsed, settings: DesignSettings): Promise<ExportDesign> {
  const loaded = loadExportRows(db, options.view, { allDuplicates: options.allDuplicates });
  const snapshot = snapshotCatalog(db, loaded);
  const funnel = viewFunnel(db, options.view, loaded);
  const selection = selectImages(loaded.rows, {
    licenses: settings.licenses,
    taxonRank: options.taxonRank,
    onePerCluster: !options.allDuplicates && !loaded.onePerCluster,
    minPerClass: options.minPerClass,
    maxPerClass: options.maxPerClass,
  });
  selection.duplicatesDropped += loaded.droppedByView;
  const hashes = loadRowHashes(db, selection.rows);
  const initial = assignSplits(selection.rows, options.split, options.seed, [], {
    minGroupsForEval: options.minGroupsForEval,
  });
  const workers = new JoinWorkers();
  const confirm = leakConfirmer(db, selection.rows, settings.duplicateThreshold);
  let repaired: RepairedSplit;
  let leakage: LeakageReport;
  try {
    repaired = await repairLeaks(hashes, initial, settings.duplicateThreshold, workers, confirm);
    // The report is recomputed from the hashes on the final split, independently of how the repair got there.
    leakage = await findCrossSplitLeaks(hashes, repaired.splitOf, settings.duplicateThreshold, workers, confirm);
  } finally {
    await workers.close();
  }
  if (leakage.pairs.length > 0) {
    throw new SporeprintError('EXPORT_FAILED', `${leakage.pairs.length} near-duplicate pair(s) still straddle splits after the repair`);
  }
  return {
    options,
    licenses: settings.licenses,
    duplicateThreshold: settings.duplicateThreshold,
    selection,
    split: { ...initial, splitOf: repaired.splitOf },
    leakage,
    regroupedPairs: repaired.pairsJoined,
    movedRows: repaired.rowsMoved,
    snapshot,
    funnel,
  };
}

export function summarizeDesign(design: ExportDesign): ExportPlan {
  const { selection, split } = design;
  const perSplit: Record<string, number> = Object.fromEntries(SPLIT_NAMES.map((s) => [s, 0]));
  const perClass: Record<string, Record<string, number>> = {};
  selection.rows.forEach((row, i) => {
    const name = SPLIT_NAMES[split.splitOf[i]!]!;
    perSplit[name]!++;
    const counts = (perClass[row.label] ??= Object.fromEntries(SPLIT_NAMES.map((s) => [s, 0])));
    counts[name]!++;
  });
  const { funnel } = design;
  const counts = {
    images: selection.rows.length,
    classes: Object.keys(perClass).length,
    perSplit,
    excludedClasses: selection.excludedClasses,
    excludedByLicense: selection.excludedByLicense + funnel.viewLicenseNotAllowed,
    excludedLicenseUnknown: selection.excludedLicenseUnknown + funnel.viewLicenseUnknown,
    excludedMissingAttribution: selection.excludedMissingAttribution,
    excludedCoarserRank: selection.excludedCoarserRank,
    duplicatesDropped: selection.duplicatesDropped,
    cappedByMaxPerClass: selection.cappedByMaxPerClass,
    perClass,
    leakagePairs: design.leakage.pairs.length,
    regroupedPairs: design.regroupedPairs,
    catalogued: funnel.catalogued,
    notInView: funnel.notInView,
    trainOnlyClasses: split.trainOnlyClasses.map((taxon) => ({ taxon, groups: split.groupsPerClass.get(taxon) ?? 0 })),
    classesNotInEverySplit: classesNotInEverySplit(perClass, design.options.split, split.groupsPerClass),
  };
  const leftOut = leftOutRules(counts, design.options.view, design.licenses);
  return { ...counts, leftOut, emptyReason: emptyExportReason(counts, leftOut, funnel.withoutLicense) };
}

/** Classes with no image in some split the user gave a non-zero share, sorted by name. */
export function classesNotInEverySplit(
  perClass: Record<string, Record<string, number>>,
  ratios: readonly number[],
  groupsPerClass: ReadonlyMap<string, number>,
): ExportPlan['classesNotInEverySplit'] {
  const asked = SPLIT_NAMES.filter((_, s) => ratios[s]! > 0);
  return Object.keys(perClass)
    .sort(compareStrings)
    .flatMap((taxon) => {
      const missing = asked.filter((name) => (perClass[taxon]![name] ?? 0) === 0);
      return missing.length ? [{ taxon, groups: groupsPerClass.get(taxon) ?? 0, missing }] : [];
    });
}
