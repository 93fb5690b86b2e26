// Reads a Darwin Core data file (tab- or comma-separated, optionally quoted) into rows of cells.

export interface Layout {
  fieldsTerminatedBy: string;
  linesTerminatedBy: string;
  fieldsEnclosedBy: string;
  ignoreHeaderLines: number;
}

export function parseDelimited(text: string, layout: Layout): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = layout.fieldsEnclosedBy ? parseQuoted(body, layout) : parsePlain(body, layout);
  return rows.slice(layout.ignoreHeaderLines).filter((r) => r.some((c) => c !== ''));
}

function parsePlain(text: string, layout: Layout): string[][] {
  // A "\n" line terminator also ends CRLF lines: exports made on Windows are common.
  const lines = layout.linesTerminatedBy === '\n' ? text.split(/\r?\n/) : text.split(layout.linesTerminatedBy);
  return lines.map((line) => line.split(layout.fieldsTerminatedBy));
}

function parseQuoted(text: string, layout: Layout): string[][] {
  const q = layout.fieldsEnclosedBy;
  const sep = layout.fieldsTerminatedBy;
  const eol = layout.linesTerminatedBy;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (quoted) {
      if (text.startsWith(q + q, i)) {
        field += q;
        i += q.length * 2 - 1;
      } else if (text.startsWith(q, i)) {
        quoted = false;
        i += q.length - 1;
      } else field += text[i];
    } else if (field === '' && text.startsWith(q, i)) {
      quoted = true;
      i += q.length - 1;
    } else if (text.startsWith(sep, i)) {
      row.push(field);
      field = '';
      i += sep.length - 1;
    } else if (text.startsWith(eol, i) || (eol === '\n' && text.startsWith('\r\n', i))) {
      i += text.startsWith('\r\n', i) ? 1 : eol.length - 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += text[i];
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
