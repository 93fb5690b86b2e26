// Sidecar files (CSV or JSON beside the photos) that claim a taxon, licence and attribution per image.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeLicense } from '../../../src-shared/licenses';
import { SporeprintError } from '../errors';

export interface SourceClaim {
  scientificName: string | null;
  license: string | null;
  attribution: string | null;
  sourceUrl: string | null;
  observationDate: string | null;
  observationGroup: string | null;
}

/** Claims of one folder: per file name, per sha256 (for sidecars that name content, not files), folder-wide. */
export interface FolderSidecar {
  byFile: Map<string, SourceClaim>;
  bySha256: Map<string, SourceClaim>;
  folder: SourceClaim | null;
}

const SIDECAR_EXTENSIONS = new Set(['.csv', '.json']);

export function isSidecarCandidate(file: string): boolean {
  return SIDECAR_EXTENSIONS.has(path.extname(file).toLowerCase());
}

type Row = Record<string, unknown>;

const pick = (row: Row, ...keys: string[]): string | null => {
  for (const key of keys) {
    const value = row[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return null;
};

function claimFromRow(row: Row, inherited: SourceClaim | null): SourceClaim {
  const rawLicense = pick(row, 'license', 'licence', 'license_url', 'licence_url', 'rights');
  return {
    scientificName: pick(row, 'scientific_name', 'scientificName', 'taxon', 'species') ?? inherited?.scientificName ?? null,
    license: rawLicense ? normalizeLicense(rawLicense).id : (inherited?.license ?? null),
    attribution:
      pick(row, 'attribution', 'photographer', 'creator', 'rights_holder', 'rightsHolder', 'author') ?? inherited?.attribution ?? null,
    sourceUrl: pick(row, 'source_url', 'sourceUrl', 'url', 'references') ?? inherited?.sourceUrl ?? null,
    observationDate: pick(row, 'observation_date', 'observed_on', 'eventDate', 'date') ?? inherited?.observationDate ?? null,
    observationGroup:
      pick(row, 'observation_id', 'observation', 'occurrence_id', 'occurrenceID', 'specimen_id') ?? inherited?.observationGroup ?? null,
  };
}

/**
 * Parses a sidecar. Returns null when the file is JSON/CSV but not a sidecar (it is then an ordinary
 * non-image file); throws INVALID_INPUT when it is malformed.
 */
export async function readSidecar(file: string): Promise<FolderSidecar | null> {
  const text = await readFile(file, 'utf8');
  const rows = path.extname(file).toLowerCase() === '.json' ? parseJsonSidecar(text, file) : parseCsvSidecar(text, file);
  if (!rows) return null;
  const sidecar: FolderSidecar = { byFile: new Map(), bySha256: new Map(), folder: null };
  if (rows.folder) sidecar.folder = claimFromRow(rows.folder, null);
  for (const row of rows.records) {
    const claim = claimFromRow(row, sidecar.folder);
    const name = pick(row, 'file', 'file_name', 'filename', 'path');
    const sha = pick(row, 'sha256');
    if (name) sidecar.byFile.set(path.basename(name), claim);
    if (sha && /^[0-9a-f]{64}$/i.test(sha)) sidecar.bySha256.set(sha.toLowerCase(), claim);
  }
  if (!sidecar.folder?.scientificName && sidecar.byFile.size === 0 && sidecar.bySha256.size === 0) return null;
  return sidecar;
}

function parseJsonSidecar(text: string, file: string): { folder: Row | null; records: Row[] } | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `sidecar is not valid JSON (${(err as Error).message})`, file);
  }
  if (Array.isArray(data)) return { folder: null, records: data.filter(isRow) };
  if (!isRow(data)) return null;
  const list = data.records ?? data.images ?? data.files;
  const records = Array.isArray(list) ? list.filter(isRow) : [];
  const folder = pick(data, 'scientific_name', 'scientificName', 'taxon') ? data : null;
  if (!folder && records.length === 0) return null;
  return { folder, records };
}

function parseCsvSidecar(text: string, file: string): { folder: null; records: Row[] } | null {
  const lines = parseCsv(text);
  if (lines.length < 2) return null;
  const header = lines[0]!.map((h) => h.trim().toLowerCase());
  if (!header.some((h) => ['file', 'file_name', 'filename', 'sha256'].includes(h))) return null;
  const records = lines
    .slice(1)
    .filter((cells) => cells.some((c) => c.trim()))
    .map((cells) => {
      if (cells.length > header.length)
        throw new SporeprintError('INVALID_INPUT', `row has ${cells.length} cells but the header has ${header.length}`, file);
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    });
  return { folder: null, records };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
