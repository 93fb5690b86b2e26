// Reads a Darwin Core data file (tab- or comma-separated, optionally quoted) into rows of cells, chunk by chunk:
// memory holds one record and one chunk, never the file.
import type { Readable } from 'node:stream';
import { SporeprintError } from '../../errors';

export interface Layout {
  fieldsTerminatedBy: string;
  linesTerminatedBy: string;
  fieldsEnclosedBy: string;
  ignoreHeaderLines: number;
}

/** Longest record taken: a file whose line terminator never comes (a wrong meta.xml) fails here, not in memory. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/**
 * The tokenizer. Fed text in pieces; a separator, terminator or quote split across two pieces is held back until
 * the next piece says what it is. A "\n" line terminator also ends CRLF lines: Windows exports are common.
 */
export class DelimitedParser {
  private carry = '';
  private row: string[] = [];
  private field = '';
  private rowChars = 0;
  private quoted = false;
  /** Whether the field's text so far came from outside quotes (a trailing "\r" there belongs to a CRLF). */
  private bareTail = false;
  private atFieldStart = true;
  private firstPiece = true;
  private records = 0;
  private readonly longestToken: number;

  constructor(
    private readonly layout: Layout,
    private readonly file: string,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    this.longestToken = Math.max(layout.fieldsTerminatedBy.length, layout.linesTerminatedBy.length, layout.fieldsEnclosedBy.length, 2);
  }

  /** Parses `piece` and appends every record it completes to `out` (header lines included). */
  push(piece: string, out: string[][]): void {
    let text = this.carry + piece;
    if (this.firstPiece && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.firstPiece = false;
    }
    this.carry = text.slice(this.scan(text, false, out));
  }

  /** Ends the input: the last record needs no terminator. */
  end(out: string[][]): void {
    this.scan(this.carry, true, out);
    this.carry = '';
    if (this.field !== '' || this.row.length) this.endRecord(out);
  }

  /** Consumes `text` up to where a later piece could change its meaning; returns where it stopped. */
  private scan(text: string, final: boolean, out: string[][]): number {
    const { fieldsTerminatedBy: sep, linesTerminatedBy: eol, fieldsEnclosedBy: q } = this.layout;
    const safeEnd = final ? text.length : text.length - (this.longestToken - 1);
    let nextSep = -1;
    let nextEol = -1;
    let i = 0;
    while (i < text.length) {
      if (this.quoted) {
        const close = text.indexOf(q, i);
        if (close < 0 || (!final && close + 2 * q.length > text.length)) {
          // No closing quote yet, or one at the very end that may be the first of a doubled pair.
          const upTo = close < 0 ? Math.max(i, safeEnd) : close;
          this.append(text.slice(i, upTo), false);
          return upTo;
        }
        this.append(text.slice(i, close), false);
        if (text.startsWith(q, close + q.length)) {
          this.append(q, false);
          i = close + 2 * q.length;
        } else {
          this.quoted = false;
          i = close + q.length;
        }
        continue;
      }
      if (this.atFieldStart && q) {
        if (!final && i + q.length > text.length) return i;
        if (text.startsWith(q, i)) {
          this.quoted = true;
          this.atFieldStart = false;
          i += q.length;
          continue;
        }
      }
      if (nextSep < i) nextSep = indexOrEnd(text, sep, i);
      if (nextEol < i) nextEol = indexOrEnd(text, eol, i);
      const stop = Math.min(nextSep, nextEol);
      if (stop === Infinity) {
        const upTo = Math.max(i, safeEnd);
        this.append(text.slice(i, upTo), true);
        return upTo;
      }
      this.append(text.slice(i, stop), true);
      if (stop === nextSep) {
        this.endField();
        i = stop + sep.length;
      } else {
        if (eol === '\n' && this.bareTail && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
        this.endRecord(out);
        i = stop + eol.length;
      }
    }
    return text.length;
  }

  private append(text: string, bare: boolean): void {
    if (!text) return;
    this.field += text;
    this.bareTail = bare;
    this.atFieldStart = false;
    this.rowChars += text.length;
    if (this.rowChars > this.maxRecordChars)
      throw new SporeprintError(
        'INVALID_INPUT',
        `record ${this.records + 1} runs past ${this.maxRecordChars} characters without a line end: ` +
          `check fieldsTerminatedBy, linesTerminatedBy and fieldsEnclosedBy in meta.xml`,
        this.file,
      );
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
    this.bareTail = false;
    this.atFieldStart = true;
  }

  private endRecord(out: string[][]): void {
    this.endField();
    out.push(this.row);
    this.records++;
    this.row = [];
    this.rowChars = 0;
  }
}

function indexOrEnd(text: string, token: string, from: number): number {
  const at = text.indexOf(token, from);
  return at < 0 ? Infinity : at;
}

const isBlank = (cells: string[]) => cells.every((c) => c === '');

/** A whole text at once (tests, small files). */
export function parseDelimited(text: string, layout: Layout, file = 'text'): string[][] {
  const parser = new DelimitedParser(layout, file);
  const rows: string[][] = [];
  parser.push(text, rows);
  parser.end(rows);
  return rows.slice(layout.ignoreHeaderLines).filter((r) => !isBlank(r));
}

/**
 * The data records of a stream, in batches (one per chunk read), header lines and blank lines left out. `index` is
 * the 1-based record number after the header, as messages cite it.
 */
export async function* streamDelimitedRows(
  stream: Readable,
  layout: Layout,
  encoding: BufferEncoding,
  file: string,
): AsyncGenerator<{ cells: string[]; index: number }[]> {
  const parser = new DelimitedParser(layout, file);
  // setEncoding keeps a multi-byte character split across two chunks whole.
  stream.setEncoding(encoding);
  let header = layout.ignoreHeaderLines;
  let index = 0;
  const take = (rows: string[][]) => {
    const batch: { cells: string[]; index: number }[] = [];
    for (const cells of rows) {
      if (header > 0) {
        header--;
        continue;
      }
      if (!isBlank(cells)) batch.push({ cells, index: ++index });
    }
    return batch;
  };
  try {
    for await (const piece of stream) {
      const rows: string[][] = [];
      parser.push(piece as string, rows);
      if (rows.length) yield take(rows);
    }
    const rows: string[][] = [];
    parser.end(rows);
    if (rows.length) yield take(rows);
  } finally {
    stream.destroy();
  }
}
