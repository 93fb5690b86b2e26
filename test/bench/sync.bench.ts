// Sync benchmark against the real PostgreSQL: the push of N images (default 100k) to an empty server, beside a plain
// binary COPY of the same rows into the same schema measured in the same run, without and with 512-d embeddings;
// then a re-sync with nothing pending, and a second curator's library with the same images (the merge path). Each
// measurement gets its own empty database. Besides the wall clock, each line gives the CPU time of this process and
// of the server's backends (step-cpu.ts): on a loaded machine the wall clock swings with the queue for a core.
// usage: npm run bench:sync -- [--images N] [--dim D|0] [--storage auto|vector|real[]] [--require]
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import type pg from 'pg';
import { Library } from '../../src-main/core/library';
import { derivativeRelativePath } from '../../src-main/core/library-paths';
import { BinaryCopyWriter } from '../../src-main/core/sync/copy-binary';
import { copyIn } from '../../src-main/core/sync/copy-in';
import type { LocalImageRow } from '../../src-main/core/sync/local-changes';
import { runSync } from '../../src-main/core/sync/run-sync';
import { initServerSchema, type EmbeddingStorage } from '../../src-main/core/sync/server-schema';
import { claimLabels, insertImages, insertVectors } from '../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON, TEST_PG_URL, type TempDatabase } from '../fixtures/pg-database';
import { makeTempDir } from '../fixtures/temp-library';
import { measureStep, type StepCpu } from './step-cpu';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '100000' },
    /** 0 skips the embeddings case (a run at a million images, where 2 GB of vectors would not fit). */
    dim: { type: 'string', default: '512' },
    /** How the server stores vectors: pgvector where it is installed (auto), or real[] even where it is. */
    storage: { type: 'string', default: 'auto' },
    require: { type: 'boolean', default: false },
  },
});
const IMAGES = Number(values.images);
const DIM = Number(values.dim);
const STORAGE = z.enum(['auto', 'vector', 'real[]']).parse(values.storage);
const BATCH = 5000;
const GOAL = 0.8;

if (!hasPostgres) {
  console.log(`skipped: ${POSTGRES_SKIP_REASON}`);
  process.exit(values.require ? 1 : 0);
}

const ADMIN_URL = (() => {
  const u = new URL(TEST_PG_URL);
  u.pathname = '/postgres';
  return u.toString();
})();
const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
/** Client and server CPU seconds of a step; the server's only where its backends can be read on this machine. */
const cpuOf = (m: StepCpu<unknown>) => m.clientSeconds + (m.serverSeconds ?? 0);
const cpuText = (m: StepCpu<unknown>) =>
  `CPU ${m.clientSeconds.toFixed(2)} s here + ${m.serverSeconds === null ? 'unknown (server not on this machine)' : `${m.serverSeconds.toFixed(2)} s server`}`;

/** The push's own image row without what the baseline does not write (change number, author, sync state). */
type ImageRow = Omit<LocalImageRow, 'seq' | 'duplicate_of' | 'source' | 'author' | 'server_rev' | 'pushed_event_id'>;

const IMAGE_COLUMNS = `sha256, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution, quality_sharpness,
  quality_noise, quality_colour, is_hq, license, attribution, source_url, source, thumb_path, small_path, medium_path, large_path,
  taxon, rank, label_state, label_client, label_updated_at, label_rev, label_seq, first_client`;

/** The id the baseline writes where the push writes its library's: a UUID, so its rows are the push's size. */
const BASELINE_CLIENT = randomUUID();

/**
 * The baseline: the same rows the push writes (images, each library's claim on licence/credit/source, the label
 * events, and vectors), read from the same catalogue, written with plain binary COPYs straight into media.image,
 * media.image_claim, media.label_event (and media.image_embedding): no staging, no rules, no merge.
 */
async function plainCopy(db: Library['db'], client: pg.Client, withVectors: boolean, storage: EmbeddingStorage): Promise<number> {
  const select = db.prepare(
    `SELECT i.id, i.sha256, i.perceptual_hash, i.width, i.height, i.format, i.file_size, i.quality_score, i.quality_resolution,
            i.quality_sharpness, i.quality_noise, i.quality_colour, i.is_hq, i.license, i.attribution, i.source_url, l.taxon, l.rank,
            l.state, l.updated_at AS label_updated_at
     FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id > ? ORDER BY i.id LIMIT ?`,
  );
  const eventsOf = db.prepare(
    `SELECT e.id, i.sha256, e.at, e.action, e.to_state, e.to_taxon, e.rank, e.evidence_json FROM label_event e JOIN image i ON i.id = e.image_id
     WHERE e.image_id > ? AND e.image_id <= ? ORDER BY e.id`,
  );
  const vectorsOf = db.prepare(
    `SELECT image_id, vector FROM image_vector WHERE model_id = 'bench-model' AND image_id > ? AND image_id <= ?`,
  );
  if (withVectors) await client.query(`INSERT INTO media.embedding_model (model, dim) VALUES ('bench-model', $1)`, [DIM]);
  let after = 0;
  let rows = 0;
  let labelSeq = 0;
  for (;;) {
    const batch = select.all(after, BATCH) as ImageRow[];
    if (batch.length === 0) break;
    const w = new BinaryCopyWriter(batch.length * 400);
    for (const r of batch) {
      w.row(28)
        .text(r.sha256)
        .text(r.perceptual_hash)
        .int4(r.width)
        .int4(r.height)
        .text(r.format)
        .int8(r.file_size)
        .float4(r.quality_score)
        .float4(r.quality_resolution)
        .float4(r.quality_sharpness)
        .float4(r.quality_noise)
        .float4(r.quality_colour)
        .bool(r.is_hq === 1)
        .text(r.license)
        .text(r.attribution)
        .text(r.source_url)
        .text('local')
        .text(derivativeRelativePath(r.sha256, 'thumb', 'jpeg'))
        .text(derivativeRelativePath(r.sha256, 'small', 'jpeg'))
        .text(derivativeRelativePath(r.sha256, 'medium', 'jpeg'))
        .text(derivativeRelativePath(r.sha256, 'large', 'jpeg'))
        .text(r.taxon)
        .text(r.rank)
        .text(r.state)
        // The label's client, time, revision and place in the server's change order, as the push writes them.
        .text(r.taxon ? BASELINE_CLIENT : null)
        .timestamptz(r.taxon ? r.label_updated_at : null)
        .int4(r.taxon ? 1 : 0)
        .int8(r.taxon ? ++labelSeq : 0)
        .text(BASELINE_CLIENT);
    }
    const claims = new BinaryCopyWriter(batch.length * 150);
    for (const r of batch)
      claims.row(6).text(r.sha256).text(BASELINE_CLIENT).text('bench').text(r.license).text(r.attribution).text(r.source_url);
    const events = new BinaryCopyWriter(batch.length * 150);
    type EventRow = {
      id: number;
      sha256: string;
      at: string;
      action: string;
      to_state: string | null;
      to_taxon: string | null;
      rank: string | null;
      evidence_json: string | null;
    };
    for (const e of eventsOf.all(after, batch.at(-1)!.id) as EventRow[]) {
      events
        .row(10)
        .text(e.sha256)
        .text(BASELINE_CLIENT)
        .int8(e.id)
        .timestamptz(e.at)
        .text('bench')
        .text(e.action)
        .text(e.to_state)
        .text(e.to_taxon)
        .text(e.rank)
        .jsonb(e.evidence_json);
    }
    await client.query('BEGIN');
    await copyIn(client, `COPY media.image (${IMAGE_COLUMNS}) FROM STDIN (FORMAT binary)`, w.finish());
    await copyIn(
      client,
      `COPY media.image_claim (image_sha256, client_id, author, license, attribution, source_url) FROM STDIN (FORMAT binary)`,
      claims.finish(),
    );
    await copyIn(
      client,
      `COPY media.label_event (image_sha256, client_id, client_event_id, at, author, action, to_state, to_taxon, rank, evidence) FROM STDIN (FORMAT binary)`,
      events.finish(),
    );
    if (withVectors) {
      const v = new BinaryCopyWriter(batch.length * (DIM * 8 + 100));
      const shaOf = new Map(batch.map((r) => [r.id, r.sha256]));
      for (const row of vectorsOf.all(after, batch.at(-1)!.id) as { image_id: number; vector: Buffer }[]) {
        // Straight from the stored little-endian bytes, as the push writes them (no copy, no Float32Array).
        v.row(5).text(shaOf.get(row.image_id)!).text('bench-model').int4(DIM);
        if (storage === 'vector') v.pgvectorOfBytes(row.vector);
        else v.float4ArrayOfBytes(row.vector);
        v.text(BASELINE_CLIENT);
      }
      await copyIn(
        client,
        `COPY media.image_embedding (image_sha256, model, dim, embedding, client_id) FROM STDIN (FORMAT binary)`,
        v.finish(),
      );
    }
    await client.query('COMMIT');
    rows += batch.length;
    after = batch.at(-1)!.id;
  }
  return rows;
}

// How the server stores vectors: pgvector where init could create the extension, else real[] (set by the baseline).
const server: { storage: EmbeddingStorage } = { storage: 'real[]' };
async function baseline(db: Library['db'], withVectors: boolean): Promise<[StepCpu<number>, TempDatabase]> {
  const target = await createTempDatabase('sporeprint_bench_copy');
  const client = await target.connect();
  try {
    const { embeddingStorage } = await initServerSchema(client, { embeddingStorage: STORAGE });
    server.storage = embeddingStorage;
    const step = await measureStep(ADMIN_URL, target.name, () => plainCopy(db, client, withVectors, embeddingStorage));
    return [step, target];
  } finally {
    await client.end();
  }
}

async function pushToEmpty(lib: Library): Promise<[StepCpu<number>, TempDatabase]> {
  const target = await createTempDatabase('sporeprint_bench_push');
  // The schema is created first (as the baseline's is), so the timing is the push alone.
  const client = await target.connect();
  await initServerSchema(client, { embeddingStorage: STORAGE });
  await client.end();
  // A new target: the catalogue's cursors restart, every image goes out again.
  const step = await measureStep(ADMIN_URL, target.name, async () => {
    return (await runSync(lib, { url: target.url, initSchema: false, dryRun: false })).pushed;
  });
  return [step, target];
}

const targets: TempDatabase[] = [];
const tmp = makeTempDir('sporeprint-bench-sync-');
const tmp2 = makeTempDir('sporeprint-bench-sync-second-');
const lib = Library.open(tmp.dir, { env: { SYNC_BATCH_SIZE: String(BATCH), SPOREPRINT_CURATOR: 'bench' } });
try {
  console.log(
    `sync benchmark: ${IMAGES} images (licence, credit, source URL each), half labelled; ${DIM > 0 ? `embeddings ${DIM}-d` : 'no embeddings case'}; batches of ${BATCH}`,
  );
  const ids = insertImages(lib.db, 'bench', IMAGES);
  claimLabels(
    lib.db,
    ids.filter((_, n) => n % 2 === 0),
    'Agaricus bisporus',
  );
  const goal = (ratio: number) => `(goal >= ${GOAL}: ${ratio >= GOAL ? 'met' : 'NOT met'})`;
  /** The contender's throughput against the COPY's, by the wall clock and by CPU time. */
  const compare = (label: string, copy: StepCpu<number>, push: StepCpu<number>) => {
    const ratio = rate(push.result, push.seconds) / rate(copy.result, copy.seconds);
    const cpuRatio = push.result / cpuOf(push) / (copy.result / cpuOf(copy));
    console.log(
      `  ${label.padEnd(11)} ${push.result} rows: ${push.seconds.toFixed(2)} s, ${rate(push.result, push.seconds)} rows/s = ${ratio.toFixed(2)}x COPY ${goal(ratio)}`,
    );
    console.log(`              ${cpuText(push)} = ${cpuRatio.toFixed(2)}x COPY by CPU time ${goal(cpuRatio)}`);
  };
  const report = (what: string, copy: StepCpu<number>, push: StepCpu<number>) => {
    console.log(`${what}`);
    console.log(`  plain COPY  ${copy.result} rows: ${copy.seconds.toFixed(2)} s, ${rate(copy.result, copy.seconds)} rows/s`);
    console.log(`              ${cpuText(copy)}`);
    compare('push', copy, push);
  };

  const [copy, t1] = await baseline(lib.db, false);
  const [push, t2] = await pushToEmpty(lib);
  targets.push(t1, t2);
  report('without embeddings', copy, push);

  const noop = await measureStep(ADMIN_URL, t2.name, () => runSync(lib, { url: t2.url, initSchema: false, dryRun: false }));
  console.log(`re-sync     nothing pending: ${noop.seconds.toFixed(3)} s`);

  // A second curator's library holding the same images: every row is known to the server, so all of it goes through
  // staging and the rule-keeping merge (a claim per image, labels compared), not the new-image COPY.
  const second = Library.open(tmp2.dir, { env: { SYNC_BATCH_SIZE: String(BATCH), SPOREPRINT_CURATOR: 'second' } });
  try {
    const secondIds = insertImages(second.db, 'bench', IMAGES);
    claimLabels(
      second.db,
      secondIds.filter((_, n) => n % 2 === 0),
      'Agaricus bisporus',
    );
    // The COPY is measured again next to it: the load may have changed since the first.
    const [copyAgain, t5] = await baseline(lib.db, false);
    targets.push(t5);
    const merged = await measureStep(ADMIN_URL, t2.name, async () => {
      return (await runSync(second, { url: t2.url, initSchema: false, dryRun: false })).pushed;
    });
    console.log(`a second curator pushing the same ${IMAGES} images (every row merged with what the server holds)`);
    console.log(
      `  plain COPY  ${copyAgain.result} rows: ${copyAgain.seconds.toFixed(2)} s, ${rate(copyAgain.result, copyAgain.seconds)} rows/s`,
    );
    console.log(`              ${cpuText(copyAgain)}`);
    compare('merge', copyAgain, merged);
  } finally {
    await second.close();
  }

  if (DIM > 0) {
    insertVectors(lib.db, 'bench-model', ids, DIM);
    const [vCopy, t3] = await baseline(lib.db, true);
    const [vPush, t4] = await pushToEmpty(lib);
    targets.push(t3, t4);
    const storage =
      server.storage === 'vector'
        ? `pgvector vector(${DIM}), HNSW index`
        : STORAGE === 'real[]'
          ? 'real[]'
          : 'real[]: pgvector is not installed';
    report(`with ${DIM}-d embeddings (${storage})`, vCopy, vPush);
  }
  console.log(`machine     load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores while measuring`);
} finally {
  await lib.close();
  tmp.cleanup();
  tmp2.cleanup();
  for (const t of targets) await t.drop();
}
