// Reads the candidate rows of an export from a training view (or the equivalent base-table query).
import type { ExportView } from '../../../src-shared/api/export';
import { HQ_MIN_LONG_EDGE, HQ_MIN_SCORE } from '../../../src-shared/defaults';
import { LABEL_STATES, TAXON_RANKS, type LabelState, type TaxonRank } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { schemaVersion } from '../catalog/migrations';
import { parseCount } from '../catalog/parse-rows';
import { integer, nullable, oneOf, rawRowChecker, real, text } from '../catalog/row-columns';

export interface ExportRow {
  imageId: number;
  sha256: string;
  taxon: string;
  rank: TaxonRank;
  labelState: LabelState;
  qualityScore: number;
  width: number;
  height: number;
  format: string;
  license: string | null;
  attribution: string | null;
  sourceUrl: string | null;
  observationGroup: string | null;
  clusterId: number | null;
  representativeId: number | null;
  perceptualHash: string;
}

/** Columns in the order both SELECTs below list them, checked per row (a million rows: no zod here). */
const checkRawRow = rawRowChecker('export', [
  ['imageId', integer],
  ['sha256', text],
  ['taxon', text],
  ['rank', oneOf(TAXON_RANKS)],
  ['labelState', oneOf(LABEL_STATES)],
  ['license', nullable(text)],
  ['attribution', nullable(text)],
  ['sourceUrl', nullable(text)],
  ['observationGroup', nullable(text)],
  ['clusterId', nullable(integer)],
  ['qualityScore', real],
  ['width', integer],
  ['height', integer],
  ['format', text],
  ['representativeId', nullable(integer)],
  ['perceptualHash', text],
]);

/**
 * The label and quality conditions of each view (migration 003) without its one-per-cluster rule, for
 * --all-duplicates (every cluster member) and for catalogues that predate the views. Licences are filtered
 * by selectImages in both cases.
 */
const BASE_PREDICATES: Record<ExportView, string> = {
  training_general: `l.state <> 'disputed'`,
  training_hq: `l.state <> 'disputed' AND i.quality_score >= ${HQ_MIN_SCORE} AND max(i.width, i.height) >= ${HQ_MIN_LONG_EDGE}`,
  training_verified: `l.state = 'human_verified'`,
};

const COMMON_COLUMNS = /* sql */ `
  i.quality_score AS qualityScore, i.width AS width, i.height AS height, i.format AS format,
  c.representative_id AS representativeId, i.perceptual_hash AS perceptualHash`;

/** The view name comes from the zod enum (a fixed list), never from free text. */
function viewSql(view: ExportView): string {
  return /* sql */ `
SELECT v.image_id AS imageId, v.sha256 AS sha256, v.taxon AS taxon, v.rank AS rank, v.label_state AS labelState,
  v.license AS license, v.attribution AS attribution, v.source_url AS sourceUrl,
  v.observation_group AS observationGroup, v.cluster_id AS clusterId, ${COMMON_COLUMNS}
FROM ${view} v JOIN image i ON i.id = v.image_id LEFT JOIN cluster c ON c.id = v.cluster_id`;
}

function baseSql(view: ExportView): string {
  return /* sql */ `
SELECT i.id AS imageId, i.sha256 AS sha256, l.taxon AS taxon, l.rank AS rank, l.state AS labelState,
  i.license AS license, i.attribution AS attribution, i.source_url AS sourceUrl,
  i.observation_group AS observationGroup, cm.cluster_id AS clusterId, ${COMMON_COLUMNS}
FROM image i JOIN label l ON l.image_id = i.id
LEFT JOIN cluster_member cm ON cm.image_id = i.id LEFT JOIN cluster c ON c.id = cm.cluster_id
WHERE ${BASE_PREDICATES[view]}`;
}

/** Labelled cluster members a view leaves out because another member of their cluster represents it. */
function droppedByViewSql(view: ExportView): string {
  return /* sql */ `
SELECT count(*) FROM image i JOIN label l ON l.image_id = i.id
JOIN cluster_member cm ON cm.image_id = i.id JOIN cluster c ON c.id = cm.cluster_id
WHERE ${BASE_PREDICATES[view]} AND c.representative_id <> i.id
  AND NOT EXISTS (SELECT 1 FROM duplicate_decision d WHERE d.action = 'keep' AND d.image_a = i.id)`;
}

export function hasView(db: Db, view: ExportView): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?`).get(view) !== undefined;
}

export interface LoadedRows {
  rows: ExportRow[];
  /** 'view' when read from the catalogue view, 'base-tables' when from the same conditions over the tables. */
  source: 'view' | 'base-tables';
  /** Whether the rows already hold one image per duplicate cluster (the views' rule, with "keep" decisions). */
  onePerCluster: boolean;
  /** Cluster members the view left out (0 when the rows come from the base tables). */
  droppedByView: number;
}

/**
 * Loads every row of the view (or, for --all-duplicates or a catalogue without the view, of its conditions
 * over the tables); repeated strings (taxa, licences, ranks) are shared to keep 1M rows small.
 */
export function loadExportRows(db: Db, view: ExportView, options: { allDuplicates: boolean }): LoadedRows {
  const source = !options.allDuplicates && hasView(db, view) ? 'view' : 'base-tables';
  const statement = db.prepare(source === 'view' ? viewSql(view) : baseSql(view));
  const interned = new Map<string, string>();
  const intern = <T extends string | null>(value: T): T => {
    if (value === null) return value;
    const known = interned.get(value);
    if (known !== undefined) return known as T;
    interned.set(value, value);
    return value;
  };
  const rows: ExportRow[] = [];
  // Raw rows built into one literal shape: the driver's named-column objects are slow to read and copy.
  for (const raw of statement.raw().iterate()) {
    const r = checkRawRow(raw);
    rows.push({
      imageId: r[0],
      sha256: r[1],
      taxon: intern(r[2]),
      rank: intern(r[3]),
      labelState: intern(r[4]),
      license: intern(r[5]),
      attribution: intern(r[6]),
      sourceUrl: r[7],
      observationGroup: r[8],
      clusterId: r[9],
      qualityScore: r[10],
      width: r[11],
      height: r[12],
      format: intern(r[13]),
      representativeId: r[14],
      perceptualHash: r[15],
    });
  }
  const droppedByView = source === 'view' ? parseCount(db.prepare(droppedByViewSql(view)).pluck().get(), `${view} dropped members`) : 0;
  return { rows, source, onePerCluster: source === 'view', droppedByView };
}

export interface CatalogSnapshot {
  schemaVersion: number;
  images: number;
  labelled: number;
  viewRows: number;
  viewSource: LoadedRows['source'];
  /** Order-independent digest of the view rows' content, so a datasheet says which catalogue state it saw. */
  rowsDigest: string;
}

export function snapshotCatalog(db: Db, loaded: LoadedRows): CatalogSnapshot {
  // Two independent 32-bit hashes per row, summed and xor-ed so that row order does not matter.
  let a = 0;
  let b = 0;
  for (const r of loaded.rows) {
    let h = fnv1a(r.sha256, 0x811c9dc5);
    for (const field of [r.taxon, r.rank, r.labelState, r.license, r.attribution, r.sourceUrl, r.observationGroup])
      h = fnv1a(field ?? '\u0000', h);
    h = Math.imul(h ^ (r.clusterId ?? -1), 0x01000193) >>> 0;
    h = Math.imul(h ^ (r.representativeId ?? -1), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.round(r.qualityScore * 1000), 0x01000193) >>> 0;
    a = (a + h) >>> 0;
    b = (b ^ Math.imul(h ^ (h >>> 15), 0x9e3779b1)) >>> 0;
  }
  return {
    schemaVersion: schemaVersion(db),
    images: parseCount(db.prepare(`SELECT count(*) FROM image`).pluck().get(), 'image count'),
    labelled: parseCount(db.prepare(`SELECT count(*) FROM label`).pluck().get(), 'label count'),
    viewRows: loaded.rows.length,
    viewSource: loaded.source,
    rowsDigest: a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0'),
  };
}

/** 32-bit FNV-1a over UTF-16 code units; fast, stable across runs and platforms. */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
