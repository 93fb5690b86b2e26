// CLI start-up benchmark: wall time of `sporeprint stats` and `sporeprint duplicates --json` on a library of
// --rows images, run through the built bundle (out/cli, built here) against the TypeScript source through tsx
// (the baseline: what every command cost before the bundle) and a bare `node -e 0` (the floor). Runs interleave.
// usage: npm run bench:cli -- [--rows 3000] [--runs 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRun(variant: Variant, command: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, variant.args(command), { env: variant.env, encoding: 'utf8' });
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
  for (const command of [['stats'], ['duplicates', '--json']]) {
    const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) timeRun(v, command); // warm the page cache
    for (let r = 0; r < RUNS; r++) for (const v of variants) times.get(v.name)!.push(timeRun(v, command));
    const baseline = median(times.get('tsx source (baseline)')!);
    console.log(`\nsporeprint ${command.join(' ')}`);
    for (const v of variants) {
      const m = median(times.get(v.name)!);
      const min = Math.min(...times.get(v.name)!);
      console.log(
        `  ${v.name.padEnd(24)} median ${m.toFixed(0).padStart(5)} ms  min ${min.toFixed(0).padStart(5)} ms  ${(baseline / m).toFixed(2)}x vs tsx`,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
