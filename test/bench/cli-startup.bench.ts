// CLI start-up benchmark: wall time of `sporeprint stats` and `sporeprint duplicates --json` on a library of
// --rows images, run through the built bundle (out/cli, built here) against the TypeScript source through tsx
// (the baseline: what every command cost before the bundle) and a bare `node -e 0` (the floor). For `stats`, also
// the same SQL (read from library-stats.ts) run by the sqlite3 shell and by node with better-sqlite3 alone: what
// any command answering those queries pays at least. Runs interleave; each prints its median wall time and, on
// Linux, the median CPU time (user + system) it used, which a loaded machine distorts far less.
// usage: npm run bench:cli -- [--rows 3000] [--runs 7] [--also OTHER/src-main/cli/bin.mjs] [--skip-tsx]
// --also adds another built bundle (an earlier commit's) to the interleaved runs: before and after in one run.
// The bundle also runs with its V8 code cache turned off (SPOREPRINT_CODE_CACHE=off): what the cache saves.
// --skip-tsx leaves out the tsx source (~1.3 s a run), for more runs of the others in the same time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildCli } from '../../src-main/setup/build-cli';
import { buildGridLibrary } from './grid/grid-library';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '3000' },
    runs: { type: 'string', default: '7' },
    also: { type: 'string' },
    'skip-tsx': { type: 'boolean', default: false },
  },
});
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

/**
 * CPU seconds (user + system) of this process's finished children, from /proc (cutime and cstime): a loaded
 * machine's wall clock mostly measures the queue for a core, the CPU a run used does not. Null off Linux.
 */
function childrenCpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function timeRun(variant: Variant, command: string[]): { ms: number; cpuMs: number | null } {
  const cpu = childrenCpuSeconds();
  const started = performance.now();
  const run = variant.program
    ? spawnSync(variant.program, variant.input ?? [], { env: variant.env, encoding: 'utf8' })
    : spawnSync(process.execPath, variant.args(command), { env: variant.env, encoding: 'utf8' });
  const ms = performance.now() - started;
  const after = childrenCpuSeconds();
  if (run.status !== 0) throw new Error(`${variant.name} ${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { ms, cpuMs: cpu === null || after === null ? null : (after - cpu) * 1000 };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sporeprint-cli-bench-'));
try {
  const lib = await buildGridLibrary(tmp, ROWS);
  const libraryDir = lib.dir;
  await lib.close();
  const built = await buildCli(root);
  console.log(`library of ${ROWS} images; bundle ${path.relative(root, built.entry)}; ${RUNS} runs each, interleaved`);
  const env = { ...process.env, SPOREPRINT_LIBRARY: libraryDir };
  console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  const variants: Variant[] = [
    { name: 'node -e 0 (floor)', args: () => ['-e', '0'], env },
    ...(values['skip-tsx']
      ? []
      : [{ name: 'tsx source (baseline)', args: (c: string[]) => [bin, ...c], env: { ...env, SPOREPRINT_CLI: 'source' } }]),
    { name: 'built bundle via bin', args: (c) => [bin, ...c], env },
    { name: 'bundle, no code cache', args: (c) => [bin, ...c], env: { ...env, SPOREPRINT_CODE_CACHE: 'off' } },
    ...(values.also ? [{ name: 'other bundle (--also)', args: (c: string[]) => [path.resolve(values.also!), ...c], env }] : []),
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
    const cpus = new Map<string, number[]>(all.map((v) => [v.name, []]));
    for (const v of all) timeRun(v, command); // warm the page cache
    for (let r = 0; r < RUNS; r++)
      for (const v of all) {
        const run = timeRun(v, command);
        times.get(v.name)!.push(run.ms);
        if (run.cpuMs !== null) cpus.get(v.name)!.push(run.cpuMs);
      }
    const baselineName = values['skip-tsx'] ? 'node -e 0 (floor)' : 'tsx source (baseline)';
    const baseline = median(times.get(baselineName)!);
    console.log(`\nsporeprint ${command.join(' ')}`);
    const bundle = median(times.get('built bundle via bin')!);
    const bundleCpu = cpus.get('built bundle via bin')!.length ? median(cpus.get('built bundle via bin')!) : null;
    for (const v of all) {
      const m = median(times.get(v.name)!);
      const min = Math.min(...times.get(v.name)!);
      console.log(
        `  ${v.name.padEnd(24)} median ${m.toFixed(0).padStart(5)} ms  min ${min.toFixed(0).padStart(5)} ms  ${(baseline / m).toFixed(2)}x vs ${values['skip-tsx'] ? 'floor' : 'tsx'}, bundle takes ${(bundle / m).toFixed(2)}x this`,
      );
      const cpu = cpus.get(v.name)!;
      if (cpu.length && bundleCpu !== null)
        console.log(
          `  ${''.padEnd(24)} CPU median ${median(cpu).toFixed(0).padStart(5)} ms  bundle takes ${(bundleCpu / median(cpu)).toFixed(2)}x this`,
        );
    }
  }
  console.log(`\nload average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
