// Darwin Core Archive import benchmark: a generated archive of realistic shape (default 200k occurrences in a
// GBIF-like 27-column core, half of them with 1-3 photos in a Simple Multimedia extension) read four ways in
// the same run, each in a fresh process so its peak RSS is its own:
//   baseline    each table's zip entry inflated by zlib and split into lines and cells (readline): the floor
//   whole-read  the method before streaming: the zip and each table in memory, every core row in a map
//   streaming   Sporeprint's reader (openArchive + readMediaRecords): rows streamed, core joined to media
//   import-job  the whole sources.importDwca job through the API, without --download
// Prints core rows/s (both tables are read in every contender) and peak RSS of each, and their ratios to the baseline.
// usage: npm run bench:dwca -- [--occurrences N] [--with-media SHARE] [--runs R]
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeLargeDwcaZip } from '../fixtures/large-dwca';
import { makeTempDir } from '../fixtures/temp-library';

const { values } = parseArgs({
  options: {
    occurrences: { type: 'string', default: '200000' },
    'with-media': { type: 'string', default: '0.5' },
    runs: { type: 'string', default: '2' },
  },
});
const OCCURRENCES = Number(values.occurrences);
const RUNS = Math.max(1, Number(values.runs));
const MODES = ['baseline', 'whole-read', 'streaming', 'import-job'] as const;
const contender = fileURLToPath(new URL('./dwca-contender.ts', import.meta.url));
const root = path.resolve(path.dirname(contender), '../..');

interface Measure {
  rows: number;
  records: number;
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

function measure(mode: string, zip: string): Measure | string {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', contender, mode, zip], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop()!) as Measure;
  } catch (err) {
    return `failed: ${((err as { stderr?: string }).stderr ?? String(err)).split('\n').find((l) => l.trim()) ?? 'no output'}`;
  }
}

const { dir, cleanup } = makeTempDir('sporeprint-bench-dwca-');
try {
  const zip = path.join(dir, 'occurrences.zip');
  const made = writeLargeDwcaZip(zip, { occurrences: OCCURRENCES, withMedia: Number(values['with-media']) });
  console.log(
    `archive: ${OCCURRENCES} occurrences (${(made.occurrenceBytes / 1048576).toFixed(1)} MB of core text), ${made.mediaRows} multimedia rows, ` +
      `${(statSync(zip).size / 1048576).toFixed(1)} MB zipped; best of ${RUNS} run(s) each, contenders interleaved`,
  );
  const best = new Map<string, Measure | string>();
  for (let run = 0; run < RUNS; run++) {
    for (const mode of MODES) {
      const m = measure(mode, zip);
      const before = best.get(mode);
      if (typeof m === 'string') best.set(mode, typeof before === 'object' ? before : m);
      else if (!before || typeof before === 'string' || m.cpuSeconds < before.cpuSeconds) best.set(mode, m);
    }
  }
  const base = best.get('baseline');
  if (!base || typeof base === 'string') throw new Error(`the baseline did not run: ${base}`);
  const rate = (m: Measure) => m.rows / m.seconds;
  const cpuRate = (m: Measure) => m.rows / m.cpuSeconds;
  console.log('  rows/s: core rows per wall second, and per CPU second of all the process threads (steadier on a shared machine)');
  for (const mode of MODES) {
    const m = best.get(mode)!;
    if (typeof m === 'string') {
      console.log(`  ${mode.padEnd(11)} ${m}`);
      continue;
    }
    console.log(
      `  ${mode.padEnd(11)} ${m.rows} core rows, ${m.records} records | wall ${m.seconds.toFixed(2)} s, ` +
        `${Math.round(rate(m))} rows/s (x${(rate(m) / rate(base)).toFixed(2)} of baseline) | ` +
        `cpu ${m.cpuSeconds.toFixed(2)} s, ${Math.round(cpuRate(m))} rows/s (x${(cpuRate(m) / cpuRate(base)).toFixed(2)}) | ` +
        `peak RSS ${(m.peakRssBytes / 1048576).toFixed(0)} MB (x${(m.peakRssBytes / base.peakRssBytes).toFixed(2)})`,
    );
  }
} finally {
  cleanup();
}
