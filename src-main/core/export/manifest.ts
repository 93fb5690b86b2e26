// The export manifest: one entry per exported file, its CSV / JSONL / Hugging Face metadata forms, and the
// dataset fingerprint (sha256 of the canonical JSONL, which holds every file's own sha256).
import { createHash } from 'node:crypto';
import type { ExportDesign } from './plan-export';
import { compareStrings, type SelectedRow } from './select-images';
import { SPLIT_NAMES, type SplitName } from './split-groups';

export interface ManifestEntry {
  /** Path inside the export, posix separators: <split>/<class folder>/<file>. */
  file: string;
  /** Of the exported file (equals source_sha256 for originals). */
  sha256: string;
  sourceSha256: string;
  taxon: string;
  rank: string;
  labelState: string;
  quality: number;
  width: number;
  height: number;
  license: string;
  attribution: string | null;
  sourceUrl: string | null;
  split: SplitName;
  clusterId: number | null;
  observationGroup: string | null;
}

export const MANIFEST_COLUMNS = [
  'file',
  'sha256',
  'source_sha256',
  'taxon',
  'rank',
  'label_state',
  'quality',
  'width',
  'height',
  'license',
  'attribution',
  'source_url',
  'split',
  'cluster_id',
  'observation_group',
] as const;

/** What the writer learnt about one exported file (derivatives are re-encoded, so hash and size change). */
export interface WrittenFile {
  sha256: string;
  width: number;
  height: number;
}

/** A folder name for a class: letters, digits, '.', '-' kept; anything else becomes '_'. */
export function classFolderName(label: string): string {
  const cleaned = label
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}.-]+/gu, '_')
    .replace(/^[._]+|_+$/g, '');
  return cleaned || 'unnamed';
}

/** Unique folder per class; two labels that clean to the same name get numbered suffixes (sorted, stable). */
export function classFolders(labels: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const label of [...new Set(labels)].sort(compareStrings)) {
    const base = classFolderName(label);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    out.set(label, name);
  }
  return out;
}

const EXTENSIONS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tif', avif: 'avif', heif: 'heic' };

export function exportFileName(row: SelectedRow, size: ExportDesign['options']['size']): string {
  return `${row.sha256}.${size === 'original' ? (EXTENSIONS[row.format] ?? row.format) : 'jpg'}`;
}

/** Where each selected row goes, in manifest order: split, then class folder, then file name. */
export function plannedFiles(design: ExportDesign): { row: SelectedRow; split: SplitName; file: string }[] {
  const rows = design.selection.rows;
  const folders = classFolders(rows.map((r) => r.label));
  const folderRank = new Map([...new Set(folders.values())].sort(compareStrings).map((f, i) => [f, i]));
  const rankOf = Int32Array.from(rows, (row) => folderRank.get(folders.get(row.label)!)!);
  // Rows arrive sorted by sha256 within a class, and file names start with the sha256, so a stable bucket sort
  // by (split, folder) alone yields file-name order within each folder.
  const buckets = SPLIT_NAMES.length * folderRank.size;
  const start = new Int32Array(buckets + 1);
  const bucketOf = (i: number) => design.split.splitOf[i]! * folderRank.size + rankOf[i]!;
  for (let i = 0; i < rows.length; i++) start[bucketOf(i) + 1]!++;
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const order = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[start[bucketOf(i)]!++] = i;
  const out: { row: SelectedRow; split: SplitName; file: string }[] = [];
  for (const i of order) {
    const row = rows[i]!;
    const split = SPLIT_NAMES[design.split.splitOf[i]!]!;
    out.push({ row, split, file: `${split}/${folders.get(row.label)!}/${exportFileName(row, design.options.size)}` });
  }
  return out;
}

export function buildManifest(
  design: ExportDesign,
  planned: ReturnType<typeof plannedFiles>,
  written: (file: string, row: SelectedRow) => WrittenFile,
): ManifestEntry[] {
  return planned.map(({ row, split, file }) => {
    const actual = written(file, row);
    return {
      file,
      sha256: actual.sha256,
      sourceSha256: row.sha256,
      taxon: row.label,
      rank: design.options.taxonRank,
      labelState: row.labelState,
      quality: Math.round(row.qualityScore * 100) / 100,
      width: actual.width,
      height: actual.height,
      license: row.license ?? 'UNKNOWN',
      attribution: row.attribution,
      sourceUrl: row.sourceUrl,
      split,
      clusterId: row.clusterId,
      observationGroup: row.observationGroup,
    };
  });
}

/** An entry's values in MANIFEST_COLUMNS order. */
function manifestValues(e: ManifestEntry): (string | number | null)[] {
  return [
    e.file,
    e.sha256,
    e.sourceSha256,
    e.taxon,
    e.rank,
    e.labelState,
    e.quality,
    e.width,
    e.height,
    e.license,
    e.attribution,
    e.sourceUrl,
    e.split,
    e.clusterId,
    e.observationGroup,
  ];
}

/**
 * What JSON.stringify escapes in a string: quote, backslash, control characters, and surrogates when unpaired
 * (any surrogate takes the slow path). Most manifest strings have none, and quoting them directly is 3x faster.
 */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A value as JSON.stringify writes it inside an object (non-finite numbers become null). */
function jsonValue(value: string | number | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** `{"file":`, `,"sha256":`, ...: each line is these keys and the values' JSON, the text JSON.stringify makes. */
const JSON_KEYS = MANIFEST_COLUMNS.map((column, c) => `${c === 0 ? '{' : ','}"${column}":`);

/**
 * One JSON object per entry, keys in MANIFEST_COLUMNS order. Built by concatenation rather than an object per
 * line through JSON.stringify: at 1M entries the throwaway objects cost more than the text.
 */
export function* manifestJsonlLines(entries: readonly ManifestEntry[]): Generator<string> {
  for (const e of entries) {
    const values = manifestValues(e);
    let line = '';
    for (let c = 0; c < values.length; c++) line += JSON_KEYS[c]! + jsonValue(values[c]!);
    yield `${line}}\n`;
  }
}

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function* manifestCsvLines(entries: readonly ManifestEntry[]): Generator<string> {
  yield `${MANIFEST_COLUMNS.join(',')}\n`;
  for (const e of entries) yield `${manifestValues(e).map(csvField).join(',')}\n`;
}

/**
 * metadata.jsonl for one split folder as the Hugging Face imagefolder loader reads it: `file_name` relative
 * to the folder holding the metadata file, and the same columns with the same types in every split (empty
 * strings and -1 rather than null, so no split infers a null-typed column the others contradict).
 */
export function* hfMetadataLines(entries: readonly ManifestEntry[], split: SplitName): Generator<string> {
  for (const e of entries) {
    if (e.split !== split) continue;
    yield `${JSON.stringify({
      file_name: e.file.slice(split.length + 1),
      label: e.taxon,
      sha256: e.sha256,
      rank: e.rank,
      label_state: e.labelState,
      quality: e.quality,
      width: e.width,
      height: e.height,
      license: e.license,
      attribution: e.attribution ?? '',
      source_url: e.sourceUrl ?? '',
      cluster_id: e.clusterId ?? -1,
      observation_group: e.observationGroup ?? '',
    })}\n`;
  }
}

/** sha256 of the canonical manifest.jsonl, computed line by line (a 1M-row manifest is larger than a JS string may be). */
export function datasetFingerprint(entries: readonly ManifestEntry[]): string {
  const hash = createHash('sha256');
  let pending = '';
  for (const line of manifestJsonlLines(entries)) {
    pending += line;
    // Hashing 1 MB at a time: per-line updates cost more than the hashing itself.
    if (pending.length >= 1 << 20) {
      hash.update(pending);
      pending = '';
    }
  }
  return hash.update(pending).digest('hex');
}

/** Joins lines into one string, for small manifests (tests, previews). */
export function joinLines(lines: Iterable<string>): string {
  let out = '';
  for (const line of lines) out += line;
  return out;
}
