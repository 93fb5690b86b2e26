// Vector reads from the catalogue: what a vector costs to read by id (id order and random), by walking a model's
// range, and in a search filter's first build of scan rows; plus image_vector's page layout and migration 021's time.
// usage: npm run bench:vector-reads -- build --library DIR [--n 100000] [--dim 512]   (a catalogue at schema 020)
//        npm run bench:vector-reads -- migrate --library DIR                          (copies it to DIR/migrated, migrates)
//        npm run bench:vector-reads -- read --file CATALOG [--fraction 0.1]             (opened read-only: never migrated)
//        npm run bench:vector-reads -- layout --file CATALOG
// Compare two catalogues (before and after a schema change) by running `read` on each in turn, alternating.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openCatalog, type Db } from '../../src-main/core/catalog/database';
import { parseIds } from '../../src-main/core/catalog/parse-rows';
import { CarriedScanRows } from '../../src-main/core/embed/carried-scan-rows';
import { CATALOG_FILE } from '../../src-main/core/library-paths';
import { PackedVectors } from '../../src-main/core/vector/packed-vectors';
import { QuantizedVectors } from '../../src-main/core/vector/quantized-vectors';
import { putVectors, readVectorBlobs, upsertModel } from '../../src-main/core/vector/vector-store';
import { insertImages } from '../fixtures/catalog-rows';
import { seededRandom as seededUniform } from '../fixtures/synthetic-photos';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    library: { type: 'string' },
    file: { type: 'string' },
    n: { type: 'string', default: '100000' },
    dim: { type: 'string', default: '512' },
    fraction: { type: 'string', default: '0.1' },
    version: { type: 'string', default: '20' },
    mmap: { type: 'string', default: '0' },
  },
});
const MODEL = 'bench/random';
const mode = positionals[0];

/** Random unit vectors (uniform coordinates, normalised): what a read costs does not depend on their shape. */
function unitVectors(count: number, dim: number, next: () => number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = next() * 2 - 1;
      out[i * dim + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dim; d++) out[i * dim + d]! /= norm;
  }
  return out;
}

/** CPU and wall of `fn`, in ms. */
function timed<T>(fn: () => T): { value: T; cpu: number; wall: number } {
  // Run with node --expose-gc: each measure starts without the garbage of the one before.
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1000, wall };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function build(): void {
  const dir = path.resolve(values.library ?? '');
  const n = Number(values.n);
  const dim = Number(values.dim);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, CATALOG_FILE);
  if (existsSync(file)) throw new Error(`${file} exists`);
  const db = openCatalog(file, { migrateTo: Number(values.version) });
  upsertModel(db, { id: MODEL, kind: 'clip', vectorSize: dim, path: null });
  // A second model on a few images, so a migration has two models' rows to keep apart.
  upsertModel(db, { id: 'bench/other', kind: 'descriptor', vectorSize: 8, path: null });
  const next = seededUniform(42);
  const CHUNK = 10_000;
  const t = timed(() => {
    for (let i = 0; i < n; i += CHUNK) {
      const count = Math.min(CHUNK, n - i);
      const ids = insertImages(db, 'bench', count, i);
      const data = unitVectors(count, dim, next);
      putVectors(
        db,
        MODEL,
        ids.map((imageId, j) => ({ imageId, vector: data.subarray(j * dim, (j + 1) * dim) })),
      );
      putVectors(
        db,
        'bench/other',
        ids.slice(0, 10).map((imageId) => ({ imageId, vector: unitVectors(1, 8, next) })),
      );
      if (i % 100_000 === 0) console.log(`${i + count} images`);
    }
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(
    `built ${n} images, ${dim}-d vectors at schema ${values.version}: ${(t.wall / 1000).toFixed(1)} s; ${(statSync(file).size / 1e6).toFixed(0)} MB`,
  );
}

function migrate(): void {
  const dir = path.resolve(values.library ?? '');
  const target = path.join(dir, 'migrated');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  const file = path.join(target, CATALOG_FILE);
  copyFileSync(path.join(dir, CATALOG_FILE), file);
  const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  const before = statSync(file).size;
  console.log(`load ${load()}`);
  const opened = timed(() => openCatalog(file));
  // The migration's pages wait in the WAL until a checkpoint copies them into the file (here at close).
  const wal = statSync(`${file}-wal`).size;
  const closed = timed(() => opened.value.close());
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `migrated in ${seconds(opened.wall)} wall, ${seconds(opened.cpu)} CPU (WAL then ${mb(wal)}); ` +
      `checkpoint at close ${seconds(closed.wall)} wall, ${seconds(closed.cpu)} CPU; file ${mb(before)} -> ${mb(statSync(file).size)}`,
  );
}

function shuffled(ids: number[], next: () => number): number[] {
  const out = [...ids];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function read(): void {
  const file = path.resolve(values.file ?? '');
  const db = openCatalog(file, { readonly: true });
  db.pragma(`mmap_size = ${Number(values.mmap)}`);
  const version = db.pragma('user_version', { simple: true });
  const dim = Number(db.prepare(`SELECT vector_size FROM embedding_model WHERE id = ?`).pluck().get(MODEL));
  const all = parseIds(db.prepare(`SELECT image_id FROM image_vector WHERE model_id = ? ORDER BY image_id`).pluck().all(MODEL), 'ids');
  const next = seededUniform(7);
  const fraction = Number(values.fraction);
  const chosen = all.filter(() => next() < fraction);
  const random = shuffled(chosen, next);
  const perVector = (ms: number, count: number) => ((ms * 1000) / count).toFixed(1);
  const report = (what: string, count: number, t: { cpu: number; wall: number }) =>
    console.log(
      `  ${what.padEnd(44)} ${perVector(t.cpu, count).padStart(6)} us CPU/vector ${perVector(t.wall, count).padStart(6)} us wall  (${count})`,
    );
  console.log(
    `${file}: schema ${version}, ${all.length} vectors, ${chosen.length} read (${fraction * 100} %), mmap_size ${db.pragma('mmap_size', { simple: true })}, load ${load()}`,
  );
  // One unmeasured pass puts the file in the OS cache (the brief: reads at the speed of the disk cache).
  timed(() => readVectorBlobs(db, MODEL, chosen));
  // The product's first build of a filter's scan rows (embed/search-images.ts): float32 and int8.
  const kinds = [
    ['float32', new CarriedScanRows((d, rows) => new PackedVectors(d, rows))],
    ['int8', new CarriedScanRows((d, rows) => new QuantizedVectors(d, rows))],
  ] as const;
  for (const [name, scan] of kinds) {
    const first = timed(() => scan.build(db, undefined, new Set(random), { dim, read: (ids) => readVectorBlobs(db, MODEL, ids) }));
    report(`first filtered build, ${name} rows`, first.value.read, first);
    console.log(`    = ${(first.cpu / 1000).toFixed(2)} s CPU, ${(first.wall / 1000).toFixed(2)} s wall`);
  }
  const one = db.prepare(`SELECT vector FROM image_vector WHERE model_id = ? AND image_id = ?`).pluck();
  report(
    'one statement per id, id order',
    chosen.length,
    timed(() => chosen.forEach((id) => one.get(MODEL, id))),
  );
  report(
    'one statement per id, random order',
    random.length,
    timed(() => random.forEach((id) => one.get(MODEL, id))),
  );
  report(
    'readVectorBlobs (json_each IN), id order',
    chosen.length,
    timed(() => readVectorBlobs(db, MODEL, chosen)),
  );
  report(
    'readVectorBlobs (json_each IN), random',
    random.length,
    timed(() => readVectorBlobs(db, MODEL, random)),
  );
  // What the int8 scan reads to rescore per query (10-60 rows): 20 ids, 500 times, none read twice.
  const few = Array.from({ length: 500 }, (_, i) => random.slice(i * 20, i * 20 + 20)).filter((ids) => ids.length === 20);
  report(
    'readVectorBlobs, 20 random ids per call',
    few.length * 20,
    timed(() => few.forEach((ids) => readVectorBlobs(db, MODEL, ids))),
  );
  const walk = db.prepare(`SELECT image_id, vector FROM image_vector WHERE model_id = ? ORDER BY image_id`).raw();
  report(
    'walk of the whole model, id order',
    all.length,
    timed(() => {
      let count = 0;
      for (const _ of walk.iterate(MODEL)) count++;
      return count;
    }),
  );
  db.close();
}

function layout(): void {
  const file = path.resolve(values.file ?? '');
  const db: Db = openCatalog(file, { readonly: true });
  console.log(`${file}: page_size ${db.pragma('page_size', { simple: true })}, page_count ${db.pragma('page_count', { simple: true })}`);
  const rows = db
    .prepare(
      `SELECT name, pagetype, count(*) AS pages, sum(ncell) AS cells, round(avg(payload + unused * 0), 0) AS payload, round(avg(unused), 0) AS unused,
              sum(mx_payload > 0) AS withPayload
         FROM dbstat WHERE name LIKE 'image_vector%' GROUP BY name, pagetype ORDER BY name, pagetype`,
    )
    .all();
  console.table(rows);
  db.close();
}

if (mode === 'build') build();
else if (mode === 'migrate') migrate();
else if (mode === 'read') read();
else if (mode === 'layout') layout();
else throw new Error('usage: build | migrate | read | layout (see the header)');
