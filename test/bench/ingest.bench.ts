// Ingest benchmark: the pipeline against a floor (one sharp decode + the 8 mandated encodes per file,
// in a plain loop) measured in the same run; 1 vs 2 workers; peak RSS; re-scan rate of an unchanged library.
// usage: npm run bench:ingest -- [folder] [--rescan-files N]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DERIVATIVE_SIZES } from '../../src-shared/defaults';
import { encodeRaw, renderDerivativeLadder, type RawImage } from '../../src-main/core/imaging/derivatives';
import { scanFiles } from '../../src-main/core/ingest/scan-files';
import { Library } from '../../src-main/core/library';
import { hasSharedData, sharedDataPath } from '../fixtures/shared-data';
import { makePhoto } from '../fixtures/synthetic-photos';

const { values, positionals } = parseArgs({ options: { 'rescan-files': { type: 'string', default: '20000' } }, allowPositionals: true });
const tmp = path.join(os.tmpdir(), `sporeprint-bench-${process.pid}`);

class PeakRss {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor() {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), 20);
  }
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}

interface Figures {
  seconds: number;
  images: number;
  bytes: number;
  peakRssMb: number;
}
const perSecond = (f: Figures) => f.images / f.seconds;
const mbPerSecond = (f: Figures) => f.bytes / 1048576 / f.seconds;

async function sourceFolder(): Promise<string> {
  if (positionals[0]) return path.resolve(positionals[0]);
  if (hasSharedData) return sharedDataPath('hq');
  // No real data: synthetic large photos stand in (say so in the output).
  const dir = path.join(tmp, 'synthetic-hq');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 12; i++)
    writeFileSync(path.join(dir, `s${i}.jpg`), await makePhoto(900 + i, { width: 2400 + 200 * i, height: 1600 + 100 * i }));
  return dir;
}

/** The floor: what any correct implementation must at least do per file, on the same single core. */
async function runFloor(files: string[]): Promise<Figures> {
  sharp.concurrency(1);
  const rss = new PeakRss();
  const start = performance.now();
  let bytes = 0;
  for (const file of files) {
    const input = readFileSync(file);
    bytes += input.length;
    const { data, info } = await sharp(input)
      .rotate()
      .resize({ width: DERIVATIVE_SIZES.large, height: DERIVATIVE_SIZES.large, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const ladder = await renderDerivativeLadder({ data, width: info.width, height: info.height, channels: info.channels } as RawImage);
    for (const image of Object.values(ladder)) for (const format of ['jpeg', 'webp'] as const) await encodeRaw(image, format);
  }
  return { seconds: (performance.now() - start) / 1000, images: files.length, bytes, peakRssMb: rss.stop() / 1048576 };
}

async function runPipeline(folder: string, workers: number, limit?: number): Promise<Figures & { library: string }> {
  const library = path.join(tmp, `lib-${workers}-${limit ?? 'all'}`);
  rmSync(library, { recursive: true, force: true });
  const lib = Library.open(library, { env: {} });
  const rss = new PeakRss();
  const start = performance.now();
  const { jobId } = await lib.invoke('ingest.start', { paths: [folder], workers, ...(limit ? { limit } : {}) });
  const job = await lib.waitForJob(jobId);
  const seconds = (performance.now() - start) / 1000;
  const peakRssMb = rss.stop() / 1048576;
  if (job.status !== 'completed') throw new Error(`ingest ${job.status}: ${job.error}`);
  const images = (job.result as { added: number }).added;
  const bytes = lib.db.prepare(`SELECT coalesce(sum(file_size), 0) FROM image`).pluck().get() as number;
  await lib.close();
  return { seconds, images, bytes, peakRssMb, library };
}

/** Re-scan rate: a library holding N locations (copies of a few small photos) re-ingested unchanged. */
async function runRescan(count: number): Promise<{ files: number; seconds: number }> {
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

async function main(): Promise<void> {
  mkdirSync(tmp, { recursive: true });
  try {
    const folder = await sourceFolder();
    const files = (await scanFiles([folder])).map((f) => f.path);
    console.log(
      `ingest benchmark on ${folder} (${files.length} files${hasSharedData || positionals[0] ? '' : ', synthetic: ../shared/data absent'}), ${os.availableParallelism()} cores`,
    );
    // Warm-up: load libvips and the worker code once so neither side pays start-up alone.
    await runFloor(files.slice(0, 1));
    const floor = await runFloor(files);
    const one = await runPipeline(folder, 1);
    const two = await runPipeline(folder, 2);
    const half = await runPipeline(folder, 1, Math.max(1, Math.floor(files.length / 2)));
    const rescan = await runRescan(Number(values['rescan-files']));

    const row = (name: string, f: Figures) =>
      `${name.padEnd(26)} ${perSecond(f).toFixed(2).padStart(8)} img/s ${mbPerSecond(f).toFixed(1).padStart(7)} MB/s  peak RSS ${f.peakRssMb.toFixed(0).padStart(4)} MB`;
    console.log(row('floor (decode + 8 encodes)', floor));
    console.log(row('pipeline, 1 worker', one));
    console.log(row('pipeline, 2 workers', two));
    console.log(row(`pipeline, 1 worker, ${half.images} files`, half));
    console.log(
      `re-scan of unchanged library  ${(rescan.files / rescan.seconds).toFixed(0)} files/s (${rescan.files} files in ${rescan.seconds.toFixed(2)} s)`,
    );
    console.log('');
    console.log(`ratio pipeline(1 worker) / floor      ${(perSecond(one) / perSecond(floor)).toFixed(2)}  (target >= 0.85)`);
    console.log(`ratio pipeline(2 workers) / 1 worker  ${(perSecond(two) / perSecond(one)).toFixed(2)}  (target >= 1.7)`);
    console.log(
      `peak RSS, all files vs half           ${two.peakRssMb.toFixed(0)} / ${one.peakRssMb.toFixed(0)} / ${half.peakRssMb.toFixed(0)} MB (2w / 1w / 1w half; target < 500, flat)`,
    );
    console.log(`re-scan                               ${(rescan.files / rescan.seconds).toFixed(0)} files/s (target >= 5000)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
