// Decides an export without writing anything: rows, filters, group-aware split and a leak-free check.
import type { ExportOptionsParsed, ExportPlan } from '../../../src-shared/api/export';
import type { Db } from '../catalog/database';
import { SporeprintError } from '../errors';
import { loadExportRows, snapshotCatalog, type CatalogSnapshot } from './export-rows';
import { findCrossSplitLeaks, loadRowHashes, type LeakageReport } from './leakage-report';
import { selectImages, type Selection } from './select-images';
import { assignSplits, SPLIT_NAMES, type SplitAssignment } from './split-groups';

/** A split that still leaks is regrouped with the leaking pairs joined; this bounds the rounds. */
const MAX_REGROUP_ROUNDS = 8;

export interface ExportDesign {
  options: ExportOptionsParsed;
  licenses: readonly string[];
  duplicateThreshold: number;
  selection: Selection;
  split: SplitAssignment;
  leakage: LeakageReport;
  /** Leaking pairs found (and joined) before the final split; reported in the datasheet. */
  regroupedPairs: number;
  snapshot: CatalogSnapshot;
}

export interface DesignSettings {
  licenses: readonly string[];
  duplicateThreshold: number;
}

export function designExport(db: Db, options: ExportOptionsParsed, settings: DesignSettings): ExportDesign {
  const loaded = loadExportRows(db, options.view, { allDuplicates: options.allDuplicates });
  const snapshot = snapshotCatalog(db, loaded);
  const selection = selectImages(loaded.rows, {
    licenses: settings.licenses,
    taxonRank: options.taxonRank,
    onePerCluster: !options.allDuplicates && !loaded.onePerCluster,
    minPerClass: options.minPerClass,
    maxPerClass: options.maxPerClass,
  });
  selection.duplicatesDropped += loaded.droppedByView;
  const hashes = loadRowHashes(db, selection.rows);
  const links: [number, number][] = [];
  for (let round = 0; round < MAX_REGROUP_ROUNDS; round++) {
    const split = assignSplits(selection.rows, options.split, options.seed, links);
    const leakage = findCrossSplitLeaks(hashes, split.splitOf, settings.duplicateThreshold);
    if (leakage.pairs.length === 0) {
      return {
        options,
        licenses: settings.licenses,
        duplicateThreshold: settings.duplicateThreshold,
        selection,
        split,
        leakage,
        regroupedPairs: links.length,
        snapshot,
      };
    }
    // Near-duplicates the clusters did not join (clustering not run yet, a different threshold, or a
    // "not a duplicate" decision) must still not straddle splits: join them and split again.
    for (const pair of leakage.pairs) links.push([pair.a, pair.b]);
  }
  throw new SporeprintError(
    'EXPORT_FAILED',
    `could not find a split without near-duplicates across splits after ${MAX_REGROUP_ROUNDS} rounds`,
  );
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
  return {
    images: selection.rows.length,
    classes: Object.keys(perClass).length,
    perSplit,
    excludedClasses: selection.excludedClasses,
    excludedByLicense: selection.excludedByLicense,
    excludedMissingAttribution: selection.excludedMissingAttribution,
    excludedCoarserRank: selection.excludedCoarserRank,
    duplicatesDropped: selection.duplicatesDropped,
    cappedByMaxPerClass: selection.cappedByMaxPerClass,
    perClass,
    leakagePairs: design.leakage.pairs.length,
    regroupedPairs: design.regroupedPairs,
  };
}
