// Reads a taxon checklist: one name per line (# comments), or a Darwin Core taxon file (tab- or comma-separated,
// a header row naming the scientificName column, optionally taxonRank). Names keep only their canonical part
// (genus, epithets and infraspecific markers), since checklists carry authorship the labels never do.
import { TAXON_RANKS, type TaxonRank } from '../../../../src-shared/model';
import { inferRank } from '../infer-rank';

export interface ParsedChecklist {
  format: 'list' | 'darwin-core';
  names: { name: string; rank: TaxonRank }[];
  skipped: number;
  /** 1-based line numbers of the first skipped lines. */
  skippedLines: number[];
}

const MAX_SKIPPED_LINES = 5;
const RANK_MARKERS = new Set(['var.', 'subsp.', 'ssp.', 'f.', 'forma', 'var', 'subsp']);
const GENUS = /^(×)?[A-Z][a-zë-]+$/;
const EPITHET = /^(×)?[a-zë][a-zë-]+$/;

/** "Amanita muscaria (L.) Lam." -> "Amanita muscaria"; null when the text does not start with a genus. */
export function canonicalName(text: string): string | null {
  const words = text.trim().split(/\s+/);
  if (!GENUS.test(words[0] ?? '')) return null;
  const kept = [words[0]!];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (EPITHET.test(w) && !RANK_MARKERS.has(w)) kept.push(w);
    else if (RANK_MARKERS.has(w) && EPITHET.test(words[i + 1] ?? '') && kept.length >= 2) {
      kept.push(w.startsWith('ssp') ? 'subsp.' : w.endsWith('.') || w === 'forma' ? w : `${w}.`, words[i + 1]!);
      i++;
    } else break;
  }
  return kept.join(' ');
}

/** The column of a Darwin Core term in a header row (plain, `dwc:` prefixed or a term URI), or -1. */
function columnOf(header: string[], term: string): number {
  const wanted = term.toLowerCase();
  return header.findIndex((h) => {
    const cell = h.trim().toLowerCase();
    return cell === wanted || cell === `dwc:${wanted}` || cell.endsWith(`/${wanted}`);
  });
}

/** Splits one line of a delimited file; with commas, double-quoted cells may hold commas and "" quotes. */
function splitRow(line: string, separator: string): string[] {
  if (separator === '\t') return line.split('\t');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function rankOf(cell: string | undefined, name: string): TaxonRank {
  const given = cell?.trim().toLowerCase();
  return given && (TAXON_RANKS as readonly string[]).includes(given) ? (given as TaxonRank) : inferRank(name);
}

export function parseChecklist(text: string): ParsedChecklist {
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/);
  const firstAt = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const first = firstAt >= 0 ? lines[firstAt]! : '';
  const separator = first.includes('\t') ? '\t' : ',';
  const header = splitRow(first, separator);
  const nameColumn = columnOf(header, 'scientificName');
  const darwinCore = nameColumn >= 0;
  const rankColumn = darwinCore ? columnOf(header, 'taxonRank') : -1;
  const names = new Map<string, { name: string; rank: TaxonRank }>();
  let skipped = 0;
  const skippedLines: number[] = [];
  for (let i = darwinCore ? firstAt + 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || (!darwinCore && line.trimStart().startsWith('#'))) continue;
    const cells = darwinCore ? splitRow(line, separator) : [line.replace(/\s#.*$/, '')];
    const name = canonicalName(cells[darwinCore ? nameColumn : 0] ?? '');
    if (!name) {
      skipped++;
      if (skippedLines.length < MAX_SKIPPED_LINES) skippedLines.push(i + 1);
      continue;
    }
    const key = name.toLowerCase();
    if (!names.has(key)) names.set(key, { name, rank: rankOf(rankColumn >= 0 ? cells[rankColumn] : undefined, name) });
  }
  return { format: darwinCore ? 'darwin-core' : 'list', names: [...names.values()], skipped, skippedLines };
}
