// writeLines must write exactly the joined lines, whatever their length or characters, and tap the same bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLines } from '../../../../src-main/core/export/write-lines';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-write-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeLines', () => {
  it('writes multi-byte text, lines longer than its buffer and many chunks byte for byte', async () => {
    const lines = [
      'ascii\n',
      'Ærø 🍄 \u2028 naïve\n',
      ...Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}\n`),
      `${'x'.repeat(3_000_000)}\n`,
      'after the long line\n',
    ];
    const file = path.join(dir, 'out.txt');
    const tapped: Buffer[] = [];
    await writeLines(file, lines, (chunk) => tapped.push(Buffer.from(chunk)));
    const written = readFileSync(file);
    expect(written.equals(Buffer.from(lines.join(''), 'utf8'))).toBe(true);
    expect(Buffer.concat(tapped).equals(written)).toBe(true);
    expect(tapped.length).toBeGreaterThan(2);
  });
});
