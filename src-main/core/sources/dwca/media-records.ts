// Joins an archive's occurrence core with its media extensions (Simple Multimedia, Audubon Core, or the
// core's associatedMedia) into one record per image, carrying taxon, licence, attribution and occurrence.
import path from 'node:path';
import { normalizeLicense } from '../../../../src-shared/licenses';
import type { TaxonRank } from '../../../../src-shared/model';
import { SporeprintError } from '../../errors';
import { rankOfScientificName } from '../../ingest/taxon-from-folder';
import { toRank } from '../gbif-resolver';
import type { ArchiveFiles } from './archive-files';
import { streamDelimitedRows } from './delimited-text';
import { parseMetaXml, ROW_TYPES, termName, type TableSpec } from './meta-xml';

export interface MediaRecord {
  /** As written in the archive: a URL, or a path relative to the archive / media root. */
  reference: string;
  occurrenceId: string;
  taxon: string | null;
  rank: TaxonRank | null;
  license: string;
  attribution: string | null;
  /** Page to cite (dcterms:references, ac:furtherInformationURL). */
  pageUrl: string | null;
  /** Which table named the image. */
  via: 'multimedia' | 'audubon' | 'associatedMedia';
}

/** A row that names an image the import cannot use, with where it is, so one bad row never aborts an import. */
export interface SkippedRow {
  file: string;
  /** 1-based record number in that file (after its header lines). */
  row: number;
  reason: string;
}

export interface ArchiveContents {
  occurrences: number;
  records: MediaRecord[];
  skipped: SkippedRow[];
}

type Row = Map<string, string>;

const ENCODINGS: Record<string, BufferEncoding> = { utf8: 'utf8', latin1: 'latin1' };

interface TableRecord {
  id: string;
  index: number;
  /** The record as term -> value; made on demand, as most core records are only counted. */
  row(): Row;
}

/** The records of a table, in batches, streamed from the archive. */
async function* tableRows(archive: ArchiveFiles, spec: TableSpec): AsyncGenerator<TableRecord[]> {
  const stream = await archive.stream(spec.location);
  if (!stream)
    throw new SporeprintError('INVALID_INPUT', `meta.xml names ${spec.location}, which the archive does not contain`, archive.origin);
  const encoding = ENCODINGS[/^(utf-?8|)$/i.test(spec.encoding) ? 'utf8' : /latin|8859/i.test(spec.encoding) ? 'latin1' : 'utf8']!;
  const where = `${archive.origin}${archive.isZip ? ':' : path.sep}${spec.location}`;
  const fields = spec.fields.map((f) => ({ ...f, name: termName(f.term) }));
  const rowOf = (cells: string[]): Row => {
    const row: Row = new Map();
    for (const f of fields) {
      const value = f.index !== null ? (cells[f.index] ?? '').trim() : '';
      const chosen = value || f.defaultValue || '';
      // First mapping of a local name wins (dc:creator and dcterms:creator both mean creator).
      if (chosen && !row.has(f.name)) row.set(f.name, chosen);
    }
    return row;
  };
  for await (const batch of streamDelimitedRows(stream, spec, encoding, where)) {
    yield batch.map(({ cells, index }) => {
      let row: Row | undefined;
      const record = () => (row ??= rowOf(cells));
      const id = spec.idIndex !== null ? (cells[spec.idIndex] ?? '').trim() : (record().get('occurrenceID') ?? String(index - 1));
      return { id, index, row: record };
    });
  }
}

const first = (row: Row | undefined, ...names: string[]) => {
  for (const n of names) {
    const v = row?.get(n);
    if (v) return v;
  }
  return null;
};

/** What a record takes from its occurrence: a few fields, so that memory grows with the media, not the core. */
interface OccurrenceFacts {
  occurrenceId: string;
  taxon: string | null;
  rank: TaxonRank | null;
  attribution: string | null;
  pageUrl: string | null;
}

/**
 * A copy of a cell that holds no reference to the chunk it was cut from: V8 keeps a whole chunk alive for any
 * substring of it, so keeping a few cells of each chunk would keep the whole table. Slicing a concatenation
 * flattens it into a new string first (measured 8x cheaper than a round trip through a Buffer).
 */
function detached(text: string): string;
function detached(text: string | null): string | null;
function detached(text: string | null): string | null {
  return text === null ? null : (' ' + text).slice(1);
}

function factsOf(id: string, occ: Row): OccurrenceFacts {
  const taxon = first(occ, 'scientificName', 'acceptedScientificName', 'species')?.replace(/\s+/g, ' ') ?? null;
  const cleanTaxon = taxon ? stripAuthorship(taxon, occ) : null;
  return {
    occurrenceId: detached(first(occ, 'occurrenceID', 'catalogNumber') ?? id),
    taxon: detached(cleanTaxon),
    rank: cleanTaxon ? (toRank(occ.get('taxonRank')) ?? rankOfScientificName(cleanTaxon)) : null,
    attribution: detached(first(occ, 'rightsHolder', 'recordedBy')),
    pageUrl: detached(first(occ, 'references')),
  };
}

/** A media row kept until its occurrence is read: only what the record needs. */
interface MediaRow {
  coreId: string;
  reference: string;
  via: MediaRecord['via'];
  license: string | null;
  attribution: string | null;
  pageUrl: string | null;
}

/**
 * Streams the media extensions first, keeping only rows that name an image, then the core, keeping only the
 * occurrences those rows point to: memory grows with the archive's images, not with its occurrence table (a
 * GBIF download has millions of occurrences, few with media). Without a media extension, the core's
 * associatedMedia are read in the same single pass over the core.
 */
export async function readMediaRecords(archive: ArchiveFiles, onRows?: (table: string, rows: number) => void): Promise<ArchiveContents> {
  const meta = await archive.read('meta.xml');
  if (!meta) throw new SporeprintError('INVALID_INPUT', 'archive has no meta.xml', archive.origin);
  const descriptor = parseMetaXml(meta.toString('utf8'), archive.origin);
  if (descriptor.core.rowType !== ROW_TYPES.occurrence)
    throw new SporeprintError(
      'INVALID_INPUT',
      `core is ${descriptor.core.rowType || 'untyped'}, expected an occurrence core`,
      archive.origin,
    );

  const skipped: SkippedRow[] = [];
  const media: MediaRow[] = [];
  const seen = new Set<string>();
  const keep = (cut: MediaRow, where: { file: string; row: number }) => {
    const malformed = malformedReason(cut.reference);
    if (malformed) {
      skipped.push({ ...where, reason: malformed });
      return;
    }
    const key = `${cut.coreId}\u0000${cut.reference}`;
    if (seen.has(key)) return;
    const m: MediaRow = {
      coreId: detached(cut.coreId),
      reference: detached(cut.reference),
      via: cut.via,
      license: detached(cut.license),
      attribution: detached(cut.attribution),
      pageUrl: detached(cut.pageUrl),
    };
    seen.add(`${m.coreId}\u0000${m.reference}`);
    media.push(m);
  };

  const extensions = descriptor.extensions.filter((e) => e.rowType === ROW_TYPES.simpleMultimedia || e.rowType === ROW_TYPES.audubonCore);
  for (const ext of extensions) {
    const audubon = ext.rowType === ROW_TYPES.audubonCore;
    for await (const batch of tableRows(archive, ext)) {
      for (const record of batch) {
        const { id, index } = record;
        const row = record.row();
        const type = first(row, 'type')?.toLowerCase() ?? '';
        const format = first(row, 'format')?.toLowerCase() ?? '';
        if ((type && !/still ?image|image/.test(type)) || (format && !format.startsWith('image/'))) continue;
        // In Audubon Core dcterms:identifier is the media's id; the file itself is ac:accessURI.
        const reference = audubon ? first(row, 'accessURI', 'identifier') : first(row, 'identifier');
        if (!reference) continue;
        keep(
          {
            coreId: id,
            reference,
            via: audubon ? 'audubon' : 'multimedia',
            // Only the media's own licence: the record's licence covers its data, not its media (GBIF), and
            // associatedMedia carry none. Without one the image is licence-unknown, never given the record's.
            license: first(row, 'license', 'WebStatement', 'UsageTerms', 'rights'),
            attribution: first(row, 'rightsHolder', 'Owner', 'creator'),
            pageUrl: first(row, 'references', 'furtherInformationURL'),
          },
          { file: ext.location, row: index },
        );
      }
      onRows?.(ext.location, batch.length);
    }
  }

  const wanted = new Set(media.map((m) => m.coreId));
  const facts = new Map<string, OccurrenceFacts>();
  let occurrences = 0;
  for await (const batch of tableRows(archive, descriptor.core)) {
    for (const { id, row, index } of batch) {
      occurrences++;
      if (extensions.length) {
        if (wanted.has(id)) facts.set(detached(id), factsOf(id, row()));
        continue;
      }
      const urls = (row().get('associatedMedia') ?? '').split(/\s*[|;]\s*|\s+/).filter(Boolean);
      if (!urls.length) continue;
      facts.set(detached(id), factsOf(id, row()));
      for (const url of urls)
        keep(
          { coreId: id, reference: url, via: 'associatedMedia', license: null, attribution: null, pageUrl: null },
          { file: descriptor.core.location, row: index },
        );
    }
    onRows?.(descriptor.core.location, batch.length);
  }

  const records: MediaRecord[] = [];
  // A few distinct licence texts recur on every row: normalised once each.
  const licences = new Map<string | null, string>();
  const licenceOf = (text: string | null) => {
    let id = licences.get(text);
    if (id === undefined) licences.set(text, (id = normalizeLicense(text).id));
    return id;
  };
  for (const m of media) {
    const occ = facts.get(m.coreId);
    if (!occ) continue;
    records.push({
      reference: m.reference,
      occurrenceId: occ.occurrenceId,
      taxon: occ.taxon,
      rank: occ.rank,
      license: licenceOf(m.license),
      attribution: m.attribution ?? occ.attribution,
      pageUrl: m.pageUrl ?? occ.pageUrl,
      via: m.via,
    });
  }
  return { occurrences, records, skipped };
}

/** Why a media reference cannot be used (a URL that does not parse, a scheme we do not fetch), or null. */
export function malformedReason(reference: string): string | null {
  if (/^[a-z][a-z0-9+.-]+:/i.test(reference) && !/^file:/i.test(reference)) {
    if (!/^https?:\/\//i.test(reference)) return `unsupported media URL scheme: ${reference.slice(0, 200)}`;
    try {
      new URL(reference);
    } catch {
      return `malformed media URL: ${reference.slice(0, 200)}`;
    }
  }
  return null;
}

/** "Amanita muscaria (L.) Lam." -> "Amanita muscaria", using the author field when the archive gives it. */
function stripAuthorship(name: string, occ: Row): string {
  const author = occ.get('scientificNameAuthorship');
  if (author && name.endsWith(author)) return name.slice(0, -author.length).trim();
  const canonical = /^([A-Z][a-z-]+(?: [a-z-]+)?(?: (?:var\.|subsp\.|ssp\.|f\.) [a-z-]+)?)(?: [(A-Z].*)?$/.exec(name);
  return canonical?.[1] ?? name;
}
