// fetch-hq benchmark against loopback sources: the cost of fetching (download, SHA-256, perceptual-hash
// dedupe, ingest) over ingesting the same files from disk, and what one lane per source buys when each
// source is rate-limited. Baselines are measured in the same run.
// usage: npm run bench:sources -- [--files N] [--interval-ms MS]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_DUPLICATE_THRESHOLD } from '../../src-shared/defaults';
import { hammingDistanceHex } from '../../src-main/core/catalog/hamming';
import { Library } from '../../src-main/core/library';
import { perceptualHashOfFile } from '../../src-main/core/sources/near-duplicate-hash';
import { startFakeSources, type FakeWorld } from '../fixtures/fake-sources';
import { hasSharedData, sharedDataPath } from '../fixtures/shared-data';
import { makePhoto } from '../fixtures/synthetic-photos';

const { values } = parseArgs({ options: { files: { type: 'string', default: '9' }, 'interval-ms': { type: 'string', default: '400' } } });
const FILES = Number(values.files);
const INTERVAL = Number(values['interval-ms']);
const TAXON = 'Amanita muscaria';
const tmp = path.join(os.tmpdir(), `sporeprint-bench-sources-${process.pid}`);

async function photos(): Promise<{ bytes: Buffer; width: number; height: number }[]> {
  if (hasSharedData) {
    const dir = sharedDataPath('hq');
    const all = await Promise.all(
      readdirSync(dir)
        .filter((f) => /\.jpe?g$/i.test(f))
        .sort()
        .map(async (f) => {
          const bytes = readFileSync(path.join(dir, f));
          const meta = await sharp(bytes).metadata();
          return { bytes, width: meta.width ?? 0, height: meta.height ?? 0 };
        }),
    );
    // fetch-hq rightly skips photos under 1600 px when larger ones exist; the benchmark wants all taken.
    return all.filter((p) => Math.max(p.width, p.height) >= 1600).slice(0, FILES + 2);
  }
  console.log('(no ../shared/data: synthetic 2400x1600 photos stand in)');
  return Promise.all(
    Array.from({ length: FILES }, async (_, i) => ({
      bytes: await makePhoto(700 + i, { width: 2400, height: 1600 }),
      width: 2400,
      height: 1600,
    })),
  );
}

/** Splits the photos over `sources` services (iNat observations, GBIF occurrences, Commons files). */
function worldOf(list: { bytes: Buffer; width: number; height: number }[], sources: number): FakeWorld {
  const world: FakeWorld = { inat: [], gbif: [], commons: [] };
  list.forEach((p, i) => {
    const lane = i % sources;
    if (lane === 0) world.inat.push({ id: i, taxon: TAXON, photos: [{ id: 1000 + i, ...p, license: 'cc-by' }] });
    else if (lane === 1) world.gbif.push({ key: i, taxon: TAXON, license: 'CC_BY_4_0', media: [{ id: i, bytes: p.bytes }] });
    else world.commons.push({ name: `f${i}.jpg`, taxon: TAXON, ...p, license: 'CC BY-SA 4.0', artistHtml: 'P' });
  });
  return world;
}

/** Drops near-duplicates (the real set has one picture at three sizes) so both sides do the same work. */
async function distinct(list: { bytes: Buffer; width: number; height: number }[]) {
  const dir = path.join(tmp, 'hash');
  mkdirSync(dir, { recursive: true });
  const kept: { bytes: Buffer; width: number; height: number }[] = [];
  const hashes: string[] = [];
  for (const [i, p] of list.entries()) {
    const file = path.join(dir, `${i}.jpg`);
    writeFileSync(file, p.bytes);
    const hash = await perceptualHashOfFile(file);
    if (hashes.some((h) => hammingDistanceHex(h, hash) <= DEFAULT_DUPLICATE_THRESHOLD)) continue;
    hashes.push(hash);
    kept.push(p);
  }
  return kept;
}

async function timed(label: string, run: (lib: Library) => Promise<void>, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const dir = path.join(tmp, label.replace(/\W+/g, '-'));
  const lib = Library.open(dir, { env });
  const start = performance.now();
  try {
    await run(lib);
  } finally {
    await lib.close();
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(2)} s  ${outcome}`);
  outcome = '';
  return seconds;
}

let outcome = '';

async function fetchAll(
  list: { bytes: Buffer; width: number; height: number }[],
  sources: number,
  interval: number,
  label: string,
): Promise<number> {
  const fake = await startFakeSources(worldOf(list, sources));
  try {
    return await timed(
      label,
      async (lib) => {
        const { jobId } = await lib.invoke('sources.fetchHq', {
          taxa: [TAXON],
          perTaxon: list.length,
          sources: ['inat', 'gbif', 'commons'].slice(0, sources) as ['inat'],
        });
        const job = await lib.waitForJob(jobId);
        const r = (job.result ?? {}) as { ingested?: number; nearDuplicates?: number };
        if (process.env.BENCH_DEBUG) console.log(JSON.stringify({ ...job.result, imageIds: undefined }));
        if (job.status !== 'completed' || r.ingested !== list.length)
          throw new Error(
            `fetch-hq ${job.status}: ingested ${r.ingested} + near-duplicates ${r.nearDuplicates} of ${list.length} (${job.error ?? ''})`,
          );
        outcome = `ingested ${r.ingested}, near-duplicates ${r.nearDuplicates}`;
      },
      { ...fake.env, SOURCE_MIN_INTERVAL_MS: String(interval) },
    );
  } finally {
    await fake.server.close();
  }
}

async function main() {
  mkdirSync(tmp, { recursive: true });
  try {
    const list = (await distinct(await photos())).slice(0, FILES);
    const mb = list.reduce((n, p) => n + p.bytes.length, 0) / 1048576;
    console.log(`${list.length} photos, ${mb.toFixed(1)} MB, ${os.availableParallelism()} cores; per-source interval ${INTERVAL} ms\n`);
    const folder = path.join(tmp, 'folder', TAXON);
    mkdirSync(folder, { recursive: true });
    list.forEach((p, i) => writeFileSync(path.join(folder, `p${i}.jpg`), p.bytes));

    const ingest = await timed('baseline: ingest the same files from disk', async (lib) => {
      const { jobId } = await lib.invoke('ingest.start', { paths: [folder] });
      const job = await lib.waitForJob(jobId);
      if (job.status !== 'completed') throw new Error(`ingest ${job.status}`);
    });
    const unlimited = await fetchAll(list, 3, 0, 'fetch-hq, 3 sources, no rate limit');
    const oneLane = await fetchAll(list, 1, INTERVAL, `fetch-hq, 1 source, ${INTERVAL} ms interval`);
    const threeLanes = await fetchAll(list, 3, INTERVAL, `fetch-hq, 3 sources, ${INTERVAL} ms interval`);
    console.log(`\nfetch overhead over ingest (no rate limit): x${(unlimited / ingest).toFixed(2)}`);
    console.log(`rate-limited: 1 source / 3 sources (one lane per source): x${(oneLane / threeLanes).toFixed(2)} faster with 3`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
