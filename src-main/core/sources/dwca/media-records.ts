// Joins an archive's occurrence core with its media extensions (Simple Multimedia, Audubon Core, or the
// core's associatedMedia) into one record per image, carrying taxon, licence, attribution and occurrence.
import { normalizeLicense } from '../../../../src-shared/licenses';
import type { TaxonRank } from '../../../../src-shared/model';
import { SporeprintError } from '../../errors';
import { rankOfScientificName } from '../../ingest/taxon-from-folder';
import { toRank } from '../gbif-resolver';
import type { ArchiveFiles } from './archive-files';
import { parseDelimited } from './delimited-text';
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

async function readTable(archive: ArchiveFiles, spec: TableSpec): Promise<{ id: string; row: Row; index: number }[]> {
  const data = await archive.read(spec.location);
  if (!data)
    throw new SporeprintError('INVALID_INPUT', `meta.xml names ${spec.location}, which the archive does not contain`, archive.origin);
  const encoding = /^(utf-?8|)$/i.test(spec.encoding) ? 'utf8' : /latin|8859/i.test(spec.encoding) ? 'latin1' : 'utf8';
  return parseDelimited(data.toString(encoding), spec).map((cells, i) => {
    const row: Row = new Map();
    for (const f of spec.fields) {
      const value = f.index !== null ? (cells[f.index] ?? '').trim() : '';
      const chosen = value || f.defaultValue || '';
      // First mapping of a local name wins (dc:creator and dcterms:creator both mean creator).
      if (chosen && !row.has(termName(f.term))) row.set(termName(f.term), chosen);
    }
    const id = spec.idIndex !== null ? (cells[spec.idIndex] ?? '').trim() : (row.get('occurrenceID') ?? String(i));
    return { id, row, index: i + 1 };
  });
}

const first = (row: Row | undefined, ...names: string[]) => {
  for (const n of names) {
    const v = row?.get(n);
    if (v) return v;
  }
  return null;
};

export async function readMediaRecords(archive: ArchiveFiles): Promise<ArchiveContents> {
  const meta = await archive.read('meta.xml');
  if (!meta) throw new SporeprintError('INVALID_INPUT', 'archive has no meta.xml', archive.origin);
  const descriptor = parseMetaXml(meta.toString('utf8'), archive.origin);
  if (descriptor.core.rowType !== ROW_TYPES.occurrence)
    throw new SporeprintError(
      'INVALID_INPUT',
      `core is ${descriptor.core.rowType || 'untyped'}, expected an occurrence core`,
      archive.origin,
    );
  const core = new Map((await readTable(archive, descriptor.core)).map(({ id, row }) => [id, row]));

  const records: MediaRecord[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  const add = (
    occId: string,
    media: Row | undefined,
    reference: string | null,
    via: MediaRecord['via'],
    where: { file: string; row: number },
  ) => {
    const occ = core.get(occId);
    if (!reference || !occ) return;
    const malformed = malformedReason(reference);
    if (malformed) {
      skipped.push({ ...where, reason: malformed });
      return;
    }
    const key = `${occId}\u0000${reference}`;
    if (seen.has(key)) return;
    seen.add(key);
    const taxon = first(occ, 'scientificName', 'acceptedScientificName', 'species')?.replace(/\s+/g, ' ') ?? null;
    const cleanTaxon = taxon ? stripAuthorship(taxon, occ) : null;
    records.push({
      reference,
      occurrenceId: first(occ, 'occurrenceID', 'catalogNumber') ?? occId,
      taxon: cleanTaxon,
      rank: cleanTaxon ? (toRank(occ.get('taxonRank')) ?? rankOfScientificName(cleanTaxon)) : null,
      // Only the media's own licence: the record's licence covers its data, not its media (GBIF), and
      // associatedMedia carry none. Without one the image is licence-unknown, never given the record's.
      license: normalizeLicense(first(media, 'license', 'WebStatement', 'UsageTerms', 'rights')).id,
      attribution: first(media, 'rightsHolder', 'Owner', 'creator') ?? first(occ, 'rightsHolder', 'recordedBy'),
      pageUrl: first(media, 'references', 'furtherInformationURL') ?? first(occ, 'references'),
      via,
    });
  };

  let hasMediaExtension = false;
  for (const ext of descriptor.extensions) {
    const simple = ext.rowType === ROW_TYPES.simpleMultimedia;
    const audubon = ext.rowType === ROW_TYPES.audubonCore;
    if (!simple && !audubon) continue;
    hasMediaExtension = true;
    for (const { id, row, index } of await readTable(archive, ext)) {
      const type = first(row, 'type')?.toLowerCase() ?? '';
      const format = first(row, 'format')?.toLowerCase() ?? '';
      if ((type && !/still ?image|image/.test(type)) || (format && !format.startsWith('image/'))) continue;
      // In Audubon Core dcterms:identifier is the media's id; the file itself is ac:accessURI.
      const reference = audubon ? first(row, 'accessURI', 'identifier') : first(row, 'identifier');
      add(id, row, reference, simple ? 'multimedia' : 'audubon', { file: ext.location, row: index });
    }
  }
  if (!hasMediaExtension) {
    let index = 0;
    for (const [id, occ] of core) {
      index++;
      for (const url of (occ.get('associatedMedia') ?? '').split(/\s*[|;]\s*|\s+/).filter(Boolean))
        add(id, undefined, url, 'associatedMedia', { file: descriptor.core.location, row: index });
    }
  }
  return { occurrences: core.size, records, skipped };
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
