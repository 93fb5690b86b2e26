// Sidecar files (CSV or JSON beside the photos) that claim a taxon, licence and attribution per image.
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SIDECAR_MAX_BYTES } from '../../../src-shared/defaults';
import { normalizeLicense } from '../../../src-shared/licenses';
import { SporeprintError } from '../errors';
import { ioFault } from '../files/io-fault';
import { openRegularFile, readRegularFile } from '../files/regular-file';

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
 * non-image file); throws INVALID_INPUT when it is malformed, FILE_TOO_LARGE over SIDECAR_MAX_BYTES (a huge file
 * is never read whole), IO_FAILED/DISK_FULL when it cannot be read (a passing fault, not a verdict on the file).
 * A CSV is streamed: one whose header names no file or sha256 column stops being read after its first line.
 */
export async function readSidecar(file: string, maxBytes = SIDECAR_MAX_BYTES): Promise<FolderSidecar | null> {
  const rows =
    path.extname(file).toLowerCase() === '.json'
      ? parseJsonSidecar((await readRegularFile(file, 'sidecar', maxBytes)).toString('utf8'), file)
      : await readCsvSidecar(file, maxBytes);
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

/** Streams a CSV sidecar row by row; stops at the header when it names no file or sha256 column. */
async function readCsvSidecar(file: string, maxBytes: number): Promise<{ folder: null; records: Row[] } | null> {
  const opened = await openRegularFile(file, 'sidecar', maxBytes);
  let header: string[] | null = null;
  const records: Row[] = [];
  const parser = new CsvParser();
  const take = (cells: string[]): boolean => {
    if (!header) {
      header = cells.map((h) => h.trim().toLowerCase());
      return header.some((h) => ['file', 'file_name', 'filename', 'sha256'].includes(h));
    }
    if (!cells.some((c) => c.trim())) return true;
    if (cells.length > header.length)
      throw new SporeprintError('INVALID_INPUT', `row has ${cells.length} cells but the header has ${header.length}`, file);
    records.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
    return true;
  };
  const decoder = new StringDecoder('utf8');
  let isSidecar = true;
  try {
    for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
      for (const cells of parser.feed(decoder.write(chunk))) if (!(isSidecar = take(cells))) break;
      if (!isSidecar) break;
    }
    if (isSidecar) for (const cells of parser.feed(decoder.end(), true)) if (!(isSidecar = take(cells))) break;
  } catch (err) {
    if (err instanceof SporeprintError) throw err;
    throw ioFault(err, file, 'read the sidecar');
  } finally {
    opened.stream.destroy();
    await opened.handle.close();
  }
  if (!isSidecar || !header || records.length === 0) return null;
  return { folder: null, records };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  return new CsvParser().feed(text, true);
}

/** An incremental RFC 4180 parser: text goes in chunk by chunk, complete rows come out. */
export class CsvParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote seen at the end of a chunk inside a quoted field: a doubled quote or the closing one. */
  private pendingQuote = false;
  private pendingCr = false;

  feed(text: string, last = false): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') continue;
      }
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (ch === '"') this.pendingQuote = true;
        else this.field += ch;
      } else if (ch === '"') this.quoted = true;
      else if (ch === ',') {
        this.row.push(this.field);
        this.field = '';
      } else if (ch === '\n' || ch === '\r') {
        this.pendingCr = ch === '\r';
        this.row.push(this.field);
        rows.push(this.row);
        this.row = [];
        this.field = '';
      } else this.field += ch;
    }
    if (last && (this.field || this.row.length)) {
      this.row.push(this.field);
      rows.push(this.row);
      this.row = [];
      this.field = '';
    }
    return rows;
  }
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
