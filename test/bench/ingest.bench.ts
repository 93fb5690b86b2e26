// Ingest benchmark: the pipeline against a floor (one sharp decode + the 8 mandated encodes per file,
// in a plain loop) measured in the same run; 1 vs 2 workers, and the floor itself on 1 vs 2 worker threads;
// peak RSS; re-scan rate of an unchanged library.
// Every measurement runs in a fresh child process, so its peak RSS (the kernel's VmHWM) is its own.
// usage: npm run bench:ingest -- [folder] [--repeats N] [--rescan-files N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { checkJpegEntropy } from '../../src-main/core/imaging/jpeg-entropy-check';
import { scanFiles } from '../../src-main/core/ingest/scan-files';
import { Library } from '../../src-main/core/library';
import { hasSharedData, sharedDataPath } from '../fixtures/shared-data';
import { makePhoto } from '../fixtures/synthetic-photos';
import { floorWork, runFloorOnThreads } from './ingest-floor';

const { values, positionals } = parseArgs({
  options: {
    'rescan-files': { type: 'string', default: '20000' },
    repeats: { type: 'string', default: '3' },
    child: { type: 'string' },
    workers: { type: 'string', default: '1' },
    limit: { type: 'string' },
    tmp: { type: 'string' },
  },
  allowPositionals: true,
});
const REPEATS = Math.max(1, Number(values.repeats));

interface Figures {
  seconds: number;
  images: number;
  bytes: number;
  peakRssMb: number;
  /** CPU seconds (user + system, every thread of the process) over the measured span. */
  cpuSeconds: number;
}
const perSecond = (f: Figures) => f.images / f.seconds;
const mbPerSecond = (f: Figures) => f.bytes / 1048576 / f.seconds;

/** The kernel's high-water mark of this process's resident set, in MB. */
function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : process.memoryUsage.rss() / 1048576;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The floor: what any correct implementation must at least do per file, on one libvips thread. */
async function runFloor(files: string[]): Promise<Figures> {
  sharp.concurrency(1);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let bytes = 0;
  for (const file of files) bytes += await floorWork(file);
  const seconds = (performance.now() - start) / 1000;
  return { seconds, images: files.length, bytes, peakRssMb: peakRssMb(), cpuSeconds: cpuSecondsSince(cpu) };
}

/**
 * The JPEG entropy walk alone (part of every decode for derivatives, so inside both the floor and the pipeline):
 * its CPU per file, to give its share of the ingest CPU measured in the same run. Files are read before timing.
 */
async function runWalk(files: string[]): Promise<Figures> {
  const inputs = files.map((file) => readFileSync(file));
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const bytes of inputs) checkJpegEntropy(bytes);
  const seconds = (performance.now() - start) / 1000;
  const bytes = inputs.reduce((sum, b) => sum + b.length, 0);
  return { seconds, images: files.length, bytes, peakRssMb: peakRssMb(), cpuSeconds: cpuSecondsSince(cpu) };
}

async function runFloorThreads(files: string[], threads: number): Promise<Figures> {
  const { seconds, bytes, cpuSeconds } = await runFloorOnThreads(files, threads);
  return { seconds, images: files.length, bytes, peakRssMb: peakRssMb(), cpuSeconds };
}

async function runPipeline(folder: string, workers: number, tmp: string, limit?: number): Promise<Figures> {
  const library = path.join(tmp, `lib-${process.pid}`);
  rmSync(library, { recursive: true, force: true });
  const lib = Library.open(library, { env: {} });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const { jobId } = await lib.invoke('ingest.start', { paths: [folder], workers, ...(limit ? { limit } : {}) });
  const job = await lib.waitForJob(jobId);
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  if (job.status !== 'completed') throw new Error(`ingest ${job.status}: ${job.error}`);
  const images = (job.result as { added: number }).added;
  const bytes = lib.db.prepare(`SELECT coalesce(sum(file_size), 0) FROM image`).pluck().get() as number;
  await lib.close();
  rmSync(library, { recursive: true, force: true });
  return { seconds, images, bytes, peakRssMb: peakRssMb(), cpuSeconds };
}

/** Runs one measurement in a fresh process and returns its figures. */
function measureInChild(
  kind: 'floor' | 'floor-threads' | 'pipeline' | 'walk',
  folder: string,
  tmp: string,
  workers = 1,
  limit?: number,
): Figures {
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--import',
    'tsx',
    self,
    folder,
    '--child',
    kind,
    '--workers',
    String(workers),
    '--tmp',
    tmp,
    ...(limit ? ['--limit', String(limit)] : []),
  ];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`${kind} measurement failed: ${child.stderr || child.stdout}`);
  return JSON.parse(line) as Figures;
}

/** Re-scan rate: a library holding N locations (copies of a few small photos) re-ingested unchanged. */
async function runRescan(count: number, tmp: string): Promise<{ files: number; seconds: number }> {
  const dir = path.join(tmp, 'rescan');
  const seeds = await Promise.all(Array.from({ length: 8 }, (_, i) => makePhoto(700 + i, { width: 200, height: 150 })));
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.jpg`), seeds[i % seeds.length]!);
  }
  const lib = Library.open(path.join(tmp, 'lib-rescan'), { env: {} });
  const first = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [dir] })).jobId);
  if (first.status !== 'completed') throw new Error(`ingest ${first.status}: ${first.error}`);
  const start = performance.now();
  const again = await lib.waitForJob((await lib.invoke('ingest.start', { paths: [dir] })).jobId);
  const seconds = (performance.now() - start) / 1000;
  if ((again.result as { unchanged: number }).unchanged !== count) throw new Error('re-scan did not see every file as unchanged');
  await lib.close();
  return { files: count, seconds };
}

async function sourceFolder(tmp: string): Promise<{ folder: string; synthetic: boolean }> {
  if (positionals[0]) return { folder: path.resolve(positionals[0]), synthetic: false };
  if (hasSharedData) return { folder: sharedDataPath('hq'), synthetic: false };
  // No real data: synthetic large photos stand in (said in the output).
  const dir = path.join(tmp, 'synthetic-hq');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 12; i++)
    writeFileSync(path.join(dir, `s${i}.jpg`), await makePhoto(900 + i, { width: 2400 + 200 * i, height: 1600 + 100 * i }));
  return { folder: dir, synthetic: true };
}

async function child(kind: string): Promise<void> {
  const folder = positionals[0]!;
  const files = (await scanFiles([folder])).files.map((f) => f.path);
  const figures =
    kind === 'floor'
      ? await runFloor(files)
      : kind === 'walk'
        ? await runWalk(files)
        : kind === 'floor-threads'
          ? await runFloorThreads(files, Number(values.workers))
          : await runPipeline(folder, Number(values.workers), values.tmp!, values.limit ? Number(values.limit) : undefined);
  console.log(JSON.stringify(figures));
}

async function main(): Promise<void> {
  const tmp = path.join(os.tmpdir(), `sporeprint-bench-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const { folder, synthetic } = await sourceFolder(tmp);
    const files = (await scanFiles([folder])).files.map((f) => f.path);
    console.log(
      `ingest benchmark on ${folder} (${files.length} files${synthetic ? ', synthetic: ../shared/data absent' : ''}), ${os.availableParallelism()} cores`,
    );
    console.log(`each figure: best of ${REPEATS} runs, interleaved, each in a fresh process`);
    // Interleaved, so a burst of load elsewhere on the machine hurts every contender alike.
    const runs = {
      floor: [] as Figures[],
      one: [] as Figures[],
      two: [] as Figures[],
      floor1: [] as Figures[],
      floor2: [] as Figures[],
      walk: [] as Figures[],
    };
    for (let r = 0; r < REPEATS; r++) {
      runs.floor.push(measureInChild('floor', folder, tmp));
      runs.one.push(measureInChild('pipeline', folder, tmp, 1));
      runs.two.push(measureInChild('pipeline', folder, tmp, 2));
      runs.floor1.push(measureInChild('floor-threads', folder, tmp, 1));
      runs.floor2.push(measureInChild('floor-threads', folder, tmp, 2));
      runs.walk.push(measureInChild('walk', folder, tmp));
    }
    const fastest = (list: Figures[]) => list.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const maxRss = (list: Figures[]) => Math.max(...list.map((f) => f.peakRssMb));
    const floor = fastest(runs.floor);
    const one = fastest(runs.one);
    const two = fastest(runs.two);
    const floor1 = fastest(runs.floor1);
    const floor2 = fastest(runs.floor2);
    // CPU time, not wall time: the walk's share of the CPU each contender spent on the same files.
    const leastCpu = (list: Figures[]) => list.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
    const walk = leastCpu(runs.walk);
    const half = measureInChild('pipeline', folder, tmp, 1, Math.max(1, Math.floor(files.length / 3)));
    const rescan = await runRescan(Number(values['rescan-files']), tmp);

    const row = (name: string, f: Figures, rss: number) =>
      `${name.padEnd(28)} ${perSecond(f).toFixed(2).padStart(8)} img/s ${mbPerSecond(f).toFixed(1).padStart(7)} MB/s  peak RSS ${rss.toFixed(0).padStart(4)} MB  ${(f.cpuSeconds / f.seconds).toFixed(2)} cores busy, ${((f.cpuSeconds / f.images) * 1000).toFixed(0)} ms CPU/img`;
    console.log(row('floor (decode + 8 encodes)', floor, maxRss(runs.floor)));
    console.log(row('pipeline, 1 worker', one, maxRss(runs.one)));
    console.log(row('pipeline, 2 workers', two, maxRss(runs.two)));
    console.log(row(`pipeline, 1 worker, ${half.images} files`, half, half.peakRssMb));
    console.log(row('floor, 1 worker thread', floor1, maxRss(runs.floor1)));
    console.log(row('floor, 2 worker threads', floor2, maxRss(runs.floor2)));
    console.log(
      `re-scan of unchanged library  ${(rescan.files / rescan.seconds).toFixed(0)} files/s (${rescan.files} files in ${rescan.seconds.toFixed(2)} s)`,
    );
    console.log('');
    console.log(`ratio pipeline(1 worker) / floor      ${(perSecond(one) / perSecond(floor)).toFixed(2)}  (target >= 0.85)`);
    console.log(`ratio pipeline(2 workers) / 1 worker  ${(perSecond(two) / perSecond(one)).toFixed(2)}  (target >= 1.7)`);
    console.log(
      `ratio floor(2 threads) / 1 thread     ${(perSecond(floor2) / perSecond(floor1)).toFixed(2)}  (the same work with no pipeline, start-up not timed: what this machine scales it to)`,
    );
    console.log(
      `peak RSS 2 workers / 1 worker / 1 worker on a third of the files  ${maxRss(runs.two).toFixed(0)} / ${maxRss(runs.one).toFixed(0)} / ${half.peakRssMb.toFixed(0)} MB (target < 500, flat in the file count)`,
    );
    const cpuPerImage = (f: Figures) => (f.cpuSeconds / f.images) * 1000;
    const share = (f: Figures) => `${((100 * cpuPerImage(walk)) / cpuPerImage(f)).toFixed(1)} %`;
    console.log(
      `JPEG entropy walk                     ${cpuPerImage(walk).toFixed(1)} ms CPU/img = ${share(leastCpu(runs.one))} of pipeline(1 worker) CPU, ${share(leastCpu(runs.floor))} of floor CPU (both include it; target <= 5 %)`,
    );
    console.log(`re-scan                               ${(rescan.files / rescan.seconds).toFixed(0)} files/s (target >= 5000)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child);
else await main();
