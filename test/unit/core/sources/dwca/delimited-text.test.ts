// The streaming tokenizer of Darwin Core tables: a record cut anywhere between two chunks reads the same as
// the whole text, and a file whose line terminator never comes fails with its name instead of filling memory.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  DelimitedParser,
  parseDelimited,
  streamDelimitedRows,
  type Layout,
} from '../../../../../src-main/core/sources/dwca/delimited-text';

const csv: Layout = { fieldsTerminatedBy: ',', linesTerminatedBy: '\n', fieldsEnclosedBy: '"', ignoreHeaderLines: 1 };
const TEXT = '\ufeffh1,h2,h3\r\n"a, b","say ""hi""",plain\r\nc,,"multi\nline"\r\n\r\n"",x,"ends with quote"""\n';
const EXPECTED = [
  ['a, b', 'say "hi"', 'plain'],
  ['c', '', 'multi\nline'],
  ['', 'x', 'ends with quote"'],
];

function inPieces(text: string, layout: Layout, cuts: number[]): string[][] {
  const parser = new DelimitedParser(layout, 'pieces.csv');
  const rows: string[][] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(from, cut), rows);
    from = cut;
  }
  parser.end(rows);
  return rows.slice(layout.ignoreHeaderLines).filter((r) => r.some((c) => c !== ''));
}

describe('DelimitedParser', () => {
  it('reads quotes, doubled quotes, embedded separators, CRLF and a BOM alike whole and cut at every position', () => {
    expect(parseDelimited(TEXT, csv)).toEqual(EXPECTED);
    for (let cut = 0; cut <= TEXT.length; cut++) expect(inPieces(TEXT, csv, [cut]), `cut at ${cut}`).toEqual(EXPECTED);
    // One character per piece: every token straddles a boundary somewhere.
    expect(
      inPieces(
        TEXT,
        csv,
        [...TEXT].map((_, i) => i),
      ),
    ).toEqual(EXPECTED);
  });

  it('holds back multi-character separators and terminators split across pieces', () => {
    const layout: Layout = { fieldsTerminatedBy: '||', linesTerminatedBy: '\r\n', fieldsEnclosedBy: '', ignoreHeaderLines: 0 };
    const text = 'a||b|c||d\r\ne\rf||g\r\n';
    const expected = [
      ['a', 'b|c', 'd'],
      ['e\rf', 'g'],
    ];
    for (let cut = 0; cut <= text.length; cut++) expect(inPieces(text, layout, [cut]), `cut at ${cut}`).toEqual(expected);
  });

  it('refuses a record longer than the cap, naming the file and the record', () => {
    const parser = new DelimitedParser({ ...csv, linesTerminatedBy: '\r' }, '/x/archive.zip:occurrence.txt', 1000);
    const rows: string[][] = [];
    parser.push('h\n', rows);
    expect(() => {
      for (let i = 0; i < 100; i++) parser.push('0123456789\n'.repeat(10), rows);
    }).toThrow(/\/x\/archive.zip:occurrence.txt: record 1 runs past 1000 characters without a line end: check fieldsTerminatedBy/);
  });
});

describe('streamDelimitedRows', () => {
  it('yields batches of numbered data records, a multi-byte character split between chunks kept whole', async () => {
    const bytes = Buffer.from('id\tname\n1\tCortinarius violaceus\n\n2\tRussula émétique\n3\tÅkerhätta\n');
    // Chunks of 5 bytes cut "é", "Å" and "ä" in two.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5));
    const layout: Layout = { fieldsTerminatedBy: '\t', linesTerminatedBy: '\n', fieldsEnclosedBy: '', ignoreHeaderLines: 1 };
    const batches: { cells: string[]; index: number }[][] = [];
    for await (const batch of streamDelimitedRows(Readable.from(chunks), layout, 'utf8', 'a.txt')) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual([
      { cells: ['1', 'Cortinarius violaceus'], index: 1 },
      { cells: ['2', 'Russula émétique'], index: 2 },
      { cells: ['3', 'Åkerhätta'], index: 3 },
    ]);
  });
});
