// Parses a Darwin Core Archive descriptor (meta.xml): the core and extension files, their layout and terms.
import { XMLParser } from 'fast-xml-parser';
import { SporeprintError } from '../../errors';

export interface FieldSpec {
  index: number | null;
  /** Full term URI, e.g. http://rs.tdwg.org/dwc/terms/scientificName. */
  term: string;
  defaultValue: string | null;
}

export interface TableSpec {
  rowType: string;
  location: string;
  fieldsTerminatedBy: string;
  linesTerminatedBy: string;
  /** Empty when fields are not quoted. */
  fieldsEnclosedBy: string;
  ignoreHeaderLines: number;
  encoding: string;
  /** Column of the record id (core) or of the core id (extension). */
  idIndex: number | null;
  fields: FieldSpec[];
}

export interface ArchiveDescriptor {
  core: TableSpec;
  extensions: TableSpec[];
}

export const ROW_TYPES = {
  occurrence: 'http://rs.tdwg.org/dwc/terms/Occurrence',
  simpleMultimedia: 'http://rs.gbif.org/terms/1.0/Multimedia',
  audubonCore: 'http://rs.tdwg.org/ac/terms/Multimedia',
} as const;

type Node = Record<string, unknown>;

/** meta.xml writes separators as escapes ("\t", "\n"); the spec's defaults are comma, newline and a quote. */
function unescape(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return String(value)
    .replace(/\\t/g, '\t')
    .replace(/\\n/g, '\n')
    .replace(/\\r/g, '\r')
    .replace(/&quot;/g, '"');
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function indexOf(node: unknown): number | null {
  const raw = (node as Node | undefined)?.['@_index'];
  return raw === undefined || raw === '' ? null : Number(raw);
}

function tableOf(node: Node, kind: 'core' | 'extension', file: string): TableSpec {
  const files = node.files as Node | undefined;
  const location = asArray(files?.location as string | string[] | undefined)[0];
  if (!location) throw new SporeprintError('INVALID_INPUT', `meta.xml ${kind} has no <files><location>`, file);
  const fields = asArray(node.field as Node | Node[] | undefined).map((f) => ({
    index: indexOf(f),
    term: String(f['@_term'] ?? ''),
    defaultValue: f['@_default'] !== undefined ? String(f['@_default']) : null,
  }));
  const fieldsTerminatedBy = unescape(node['@_fieldsTerminatedBy'], ',');
  const linesTerminatedBy = unescape(node['@_linesTerminatedBy'], '\n');
  // An empty separator would split nothing (an endless loop) or keep the whole file as one line (unbounded memory).
  if (!fieldsTerminatedBy) throw new SporeprintError('INVALID_INPUT', `meta.xml ${kind} has an empty fieldsTerminatedBy`, file);
  if (!linesTerminatedBy) throw new SporeprintError('INVALID_INPUT', `meta.xml ${kind} has an empty linesTerminatedBy`, file);
  if (fieldsTerminatedBy === linesTerminatedBy)
    throw new SporeprintError('INVALID_INPUT', `meta.xml ${kind} uses one separator for fields and lines`, file);
  return {
    rowType: String(node['@_rowType'] ?? ''),
    location: String(location).trim(),
    fieldsTerminatedBy,
    linesTerminatedBy,
    fieldsEnclosedBy: unescape(node['@_fieldsEnclosedBy'], '"'),
    ignoreHeaderLines: Number(node['@_ignoreHeaderLines'] ?? 0) || 0,
    encoding: String(node['@_encoding'] ?? 'UTF-8'),
    idIndex: indexOf(kind === 'core' ? node.id : node.coreid),
    fields: fields.filter((f) => f.term),
  };
}

export function parseMetaXml(xml: string, file: string): ArchiveDescriptor {
  let doc: Node;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, removeNSPrefix: true }).parse(
      xml,
    ) as Node;
  } catch (err) {
    throw new SporeprintError('INVALID_INPUT', `meta.xml is not valid XML (${(err as Error).message})`, file);
  }
  const archive = doc.archive as Node | undefined;
  const core = archive?.core as Node | undefined;
  if (!archive || !core) throw new SporeprintError('INVALID_INPUT', 'meta.xml has no <archive><core>', file);
  return {
    core: tableOf(core, 'core', file),
    extensions: asArray(archive.extension as Node | Node[] | undefined).map((e) => tableOf(e, 'extension', file)),
  };
}

/** The local name of a term URI (…/terms/scientificName -> scientificName). */
export function termName(term: string): string {
  return term.replace(/^.*[/#:]/, '');
}
