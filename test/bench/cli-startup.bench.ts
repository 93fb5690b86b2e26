// CLI start-up benchmark: wall time of `sporeprint stats` and `sporeprint duplicates --json` on a library of
// --rows images, run through the built bundle (out/cli, built here) against the TypeScript source through tsx
// (the baseline: what every command cost before the bundle) and a bare `node -e 0` (the floor). For `stats`, also
// the same SQL (read from library-stats.ts) run by the sqlite3 shell and by node with better-sqlite3 alone: what
// any command answering those queries pays at least. Runs interleave.
// usage: npm run bench:cli -- [--rows 3000] [--runs 7]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildCli } from '../../src-main/setup/build-cli';
import { buildGridLibrary } from './grid/grid-library';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '3000' }, runs: { type: 'string', default: '7' } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'src-main/cli/bin.mjs');

interface Variant {
  name: string;
  args: (command: string[]) => string[];
  env: NodeJS.ProcessEnv;
  /** Another program than node, with these arguments. */
  program?: string;
  input?: string[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRun(variant: Variant, command: string[]): number {
  const started = performance.now();
  const run = variant.program
    ? spawnSync(variant.program, variant.input ?? [], { env: variant.env, encoding: 'utf8' })
    : spawnSync(process.execPath, variant.args(command), { env: variant.env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${variant.name} ${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-cli-bench-'));
try {
  const lib = await buildGridLibrary(tmp, ROWS);
  const libraryDir = lib.dir;
  await lib.close();
  const built = await buildCli(root);
  console.log(`library of ${ROWS} images; bundle ${path.relative(root, built.entry)}; ${RUNS} runs each, interleaved`);
  const env = { ...process.env, SPOREPRINT_LIBRARY: libraryDir };
  const variants: Variant[] = [
    { name: 'node -e 0 (floor)', args: () => ['-e', '0'], env },
    { name: 'tsx source (baseline)', args: (c) => [bin, ...c], env: { ...env, SPOREPRINT_CLI: 'source' } },
    { name: 'built bundle via bin', args: (c) => [bin, ...c], env },
  ];
  // The statements of the stats query, as written in its source.
  const statsSql = [...readFileSync(path.join(root, 'src-main/core/catalog/library-stats.ts'), 'utf8').matchAll(/`(SELECT[^`]*)`/g)].map(
    (m) => m[1]!.replace(/\s+/g, ' '),
  );
  const catalog = path.join(libraryDir, 'catalog.db');
  const queryOnly: Variant[] = [
    {
      name: 'node + better-sqlite3',
      args: () => [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(catalog)}, { readonly: true }); ` +
          `for (const q of ${JSON.stringify(statsSql)}) db.prepare(q).all(); db.close();`,
      ],
      env: { ...env, NODE_PATH: path.join(root, 'node_modules') },
    },
  ];
  const sqlite3 = ['/usr/bin/sqlite3', '/usr/local/bin/sqlite3'].find((p) => existsSync(p));
  if (sqlite3)
    queryOnly.push({ name: 'sqlite3 shell', args: () => [], env, program: sqlite3, input: ['-readonly', catalog, statsSql.join(';\n')] });
  else console.log('sqlite3 shell: skipped: no sqlite3 in /usr/bin or /usr/local/bin');
  for (const command of [['stats'], ['duplicates', '--json']]) {
    const all = command[0] === 'stats' ? [...variants, ...queryOnly] : variants;
    const times = new Map<string, number[]>(all.map((v) => [v.name, []]));
    for (const v of all) timeRun(v, command); // warm the page cache
    for (let r = 0; r < RUNS; r++) for (const v of all) times.get(v.name)!.push(timeRun(v, command));
    const baseline = median(times.get('tsx source (baseline)')!);
    console.log(`\nsporeprint ${command.join(' ')}`);
    const bundle = median(times.get('built bundle via bin')!);
    for (const v of all) {
      const m = median(times.get(v.name)!);
      const min = Math.min(...times.get(v.name)!);
      console.log(
        `  ${v.name.padEnd(24)} median ${m.toFixed(0).padStart(5)} ms  min ${min.toFixed(0).padStart(5)} ms  ${(baseline / m).toFixed(2)}x vs tsx, bundle takes ${(bundle / m).toFixed(2)}x this`,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
