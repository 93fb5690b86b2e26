// Rows are parsed once where they are read (catalog/parse-rows.ts, catalog/row-columns.ts), so no `as` cast sits on a
// statement's result in src-main/core: a row of the wrong shape is an error naming its query, not a wrong value
// travelling on. A file holding a cast the check mistakes for one would be counted below, so it cannot grow.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const core = fileURLToPath(new URL('../../../src-main/core', import.meta.url));

/** Casts left, per file under src-main/core, and why they are still there. */
const LEFT: Record<string, number> = {};

const STATEMENT_READS = new Set(['get', 'all', 'iterate', 'pragma']);

/** Lines of `as` casts applied to the result of a `.get()`, `.all()`, `.iterate()` or `.pragma()` call (as const aside). */
export function rowCasts(fileName: string, text: string): number[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) && node.type.getText(source) !== 'const') {
      let e: ts.Expression = node.expression;
      for (;;) {
        if (ts.isParenthesizedExpression(e)) e = e.expression;
        else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) e = e.left;
        else break;
      }
      if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && STATEMENT_READS.has(e.expression.name.text))
        lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('rows read from the catalogue', () => {
  it('finds a cast on a statement result, on one line or several, through parentheses and ??', () => {
    const text = [
      `const a = db.prepare('SELECT 1').get(1) as { n: number };`,
      `const b = db`,
      `  .prepare('SELECT id FROM image')`,
      `  .all() as { id: number }[];`,
      `const c = (db.prepare('SELECT count(*) FROM image').pluck().get() ?? 0) as number;`,
      `const d = db.pragma('user_version', { simple: true }) as number;`,
      `const e = parseCount(db.prepare('SELECT count(*) FROM image').pluck().get(), 'count');`,
      `const f = ['a'] as const;`,
      `const g = JSON.parse(text) as unknown;`,
    ].join('\n');
    expect(rowCasts('example.ts', text)).toEqual([1, 2, 5, 6]);
  });

  it('are parsed, not cast, in src-main/core outside the counted files', () => {
    const found: Record<string, number> = {};
    for (const file of sourceFiles(core)) {
      const casts = rowCasts(file, readFileSync(file, 'utf8'));
      if (casts.length > 0) found[path.relative(core, file).split(path.sep).join('/')] = casts.length;
    }
    const over = Object.entries(found).filter(([file, n]) => n > (LEFT[file] ?? 0));
    expect(over, 'files with more row casts than counted: parse the rows (catalog/parse-rows.ts) instead').toEqual([]);
    // A count above what is left would let a new cast in unnoticed: lower it when a cast goes.
    const stale = Object.entries(LEFT).filter(([file, n]) => (found[file] ?? 0) < n);
    expect(stale, 'counted files with fewer row casts than counted: lower LEFT').toEqual([]);
  });
});
