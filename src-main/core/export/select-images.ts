// Chooses which view rows go into a dataset: rank, licence, attribution, one per duplicate cluster, class sizes.
import { isLicenseAllowed, isLicenseUnknown, licenseRequiresAttribution } from '../../../src-shared/licenses';
import type { TaxonRank } from '../../../src-shared/model';
import type { ExportRow } from './export-rows';

export interface SelectedRow extends ExportRow {
  /** The class name at the export rank (e.g. "Amanita muscaria", or "Amanita" for genus). */
  label: string;
}

export interface SelectionOptions {
  licenses: readonly string[];
  taxonRank: 'species' | 'genus';
  /** Keep one image per duplicate cluster (false for --all-duplicates, or when the view already did). */
  onePerCluster: boolean;
  minPerClass: number;
  maxPerClass?: number | undefined;
}

export interface Selection {
  /** Sorted by label, then sha256, so everything downstream is independent of catalogue row order. */
  rows: SelectedRow[];
  excludedCoarserRank: number;
  /** Known licence outside the allow-list. */
  excludedByLicense: number;
  /** No licence, or an unreadable one. */
  excludedLicenseUnknown: number;
  excludedMissingAttribution: number;
  duplicatesDropped: number;
  cappedByMaxPerClass: number;
  excludedClasses: { taxon: string; images: number }[];
}

const AT_OR_BELOW: Record<SelectionOptions['taxonRank'], ReadonlySet<TaxonRank>> = {
  species: new Set<TaxonRank>(['species', 'subspecies', 'variety', 'form']),
  genus: new Set<TaxonRank>(['genus', 'species', 'subspecies', 'variety', 'form']),
};

export { licenseRequiresAttribution };

/** The class name at the export rank: the binomial for species (infraspecific parts dropped), the genus word. */
export function labelAtRank(taxon: string, rank: SelectionOptions['taxonRank']): string {
  const words = taxon.trim().split(/\s+/);
  if (rank === 'genus') return words[0]!;
  // Infraspecific names ("Amanita muscaria var. formosa") fold into their species.
  return words.slice(0, 2).join(' ');
}

const byQualityThenSha = (a: ExportRow, b: ExportRow) => b.qualityScore - a.qualityScore || compareStrings(a.sha256, b.sha256);

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function selectImages(rows: readonly ExportRow[], options: SelectionOptions): Selection {
  const ranks = AT_OR_BELOW[options.taxonRank];
  const labelCache = new Map<string, string>();
  // Licence checks parse the id; a catalogue holds a handful of distinct ids, so each is judged once.
  const licenseVerdicts = new Map<string | null, 'allowed' | 'unknown' | 'refused' | 'needs-attribution'>();
  const verdictOf = (license: string | null) => {
    let verdict = licenseVerdicts.get(license);
    if (verdict === undefined) {
      verdict = isLicenseUnknown(license)
        ? 'unknown'
        : !isLicenseAllowed(license, options.licenses)
          ? 'refused'
          : licenseRequiresAttribution(license)
            ? 'needs-attribution'
            : 'allowed';
      licenseVerdicts.set(license, verdict);
    }
    return verdict;
  };
  let excludedCoarserRank = 0;
  let excludedByLicense = 0;
  let excludedLicenseUnknown = 0;
  let excludedMissingAttribution = 0;
  const eligible: SelectedRow[] = [];
  for (const row of rows) {
    if (!ranks.has(row.rank)) {
      excludedCoarserRank++;
      continue;
    }
    const verdict = verdictOf(row.license);
    if (verdict === 'unknown') {
      excludedLicenseUnknown++;
      continue;
    }
    if (verdict === 'refused') {
      excludedByLicense++;
      continue;
    }
    if (verdict === 'needs-attribution' && !row.attribution?.trim()) {
      excludedMissingAttribution++;
      continue;
    }
    let label = labelCache.get(row.taxon);
    if (label === undefined) {
      label = labelAtRank(row.taxon, options.taxonRank);
      labelCache.set(row.taxon, label);
    }
    eligible.push({
      imageId: row.imageId,
      sha256: row.sha256,
      taxon: row.taxon,
      rank: row.rank,
      labelState: row.labelState,
      qualityScore: row.qualityScore,
      width: row.width,
      height: row.height,
      format: row.format,
      license: row.license,
      attribution: row.attribution,
      sourceUrl: row.sourceUrl,
      observationGroup: row.observationGroup,
      clusterId: row.clusterId,
      representativeId: row.representativeId,
      perceptualHash: row.perceptualHash,
      label,
    });
  }

  const deduplicated = options.onePerCluster ? onePerCluster(eligible) : eligible;
  const duplicatesDropped = eligible.length - deduplicated.length;

  const byLabel = new Map<string, SelectedRow[]>();
  for (const row of deduplicated) {
    const list = byLabel.get(row.label);
    if (list) list.push(row);
    else byLabel.set(row.label, [row]);
  }
  let cappedByMaxPerClass = 0;
  const excludedClasses: Selection['excludedClasses'] = [];
  const selected: SelectedRow[] = [];
  for (const label of [...byLabel.keys()].sort(compareStrings)) {
    let members = byLabel.get(label)!;
    if (options.maxPerClass !== undefined && members.length > options.maxPerClass) {
      // Keep the best photographs of an over-represented class.
      members = [...members].sort(byQualityThenSha).slice(0, options.maxPerClass);
      cappedByMaxPerClass += byLabel.get(label)!.length - members.length;
    }
    if (members.length < options.minPerClass) {
      excludedClasses.push({ taxon: label, images: members.length });
      continue;
    }
    members.sort((a, b) => compareStrings(a.sha256, b.sha256));
    for (const row of members) selected.push(row);
  }
  return {
    rows: selected,
    excludedCoarserRank,
    excludedByLicense,
    excludedLicenseUnknown,
    excludedMissingAttribution,
    duplicatesDropped,
    cappedByMaxPerClass,
    excludedClasses,
  };
}

/**
 * One image per duplicate cluster: its representative when that image passed the filters, otherwise the
 * best eligible member (a near-identical photo under an allowed licence is as good a sample).
 */
function onePerCluster(rows: SelectedRow[]): SelectedRow[] {
  const chosen = new Map<number, SelectedRow>();
  const out: SelectedRow[] = [];
  for (const row of rows) {
    if (row.clusterId === null) {
      out.push(row);
      continue;
    }
    const current = chosen.get(row.clusterId);
    if (!current || isBetterRepresentative(row, current)) chosen.set(row.clusterId, row);
  }
  for (const row of chosen.values()) out.push(row);
  return out;
}

function isBetterRepresentative(candidate: SelectedRow, current: SelectedRow): boolean {
  const candidateIsRep = candidate.imageId === candidate.representativeId;
  const currentIsRep = current.imageId === current.representativeId;
  if (candidateIsRep !== currentIsRep) return candidateIsRep;
  return byQualityThenSha(candidate, current) < 0;
}
