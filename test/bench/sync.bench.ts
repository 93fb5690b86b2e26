// Sync benchmark against the real PostgreSQL: rows per second pushing N images (default 100k) to an empty server
// without and then (to a second empty server) with 512-d embeddings, a forced re-push (all no-ops), and the batched path as a ratio of a row-at-a-time
// upsert baseline measured in the same run on a sample.
// usage: npm run bench:sync -- [--images N] [--dim D] [--baseline N]
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Library } from '../../src-main/core/library';
import { runSync } from '../../src-main/core/sync/run-sync';
import { claimLabels, insertImages, insertVectors } from '../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON } from '../fixtures/pg-database';
import { makeTempDir } from '../fixtures/temp-library';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '100000' },
    dim: { type: 'string', default: '512' },
    baseline: { type: 'string', default: '5000' },
  },
});
const IMAGES = Number(values.images);
const DIM = Number(values.dim);
const BASELINE = Math.min(Number(values.baseline), IMAGES);
const TARGET_ROWS_PER_SECOND = 20_000;

if (!hasPostgres) {
  console.log(POSTGRES_SKIP_REASON);
  process.exit(0);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

const rate = (rows: number, seconds: number) => Math.round(rows / seconds);
/**
 * CPU seconds the sync spent in this process and in its PostgreSQL backend (read from /proc at each commit).
 * On a machine shared with other work, rows per CPU-second estimates what an idle machine would sustain.
 */
async function syncWithCpu(options: { initSchema: boolean; url?: string }) {
  const backends = new Map<number, number>();
  const cpuBefore = process.cpuUsage();
  const [result, seconds] = await timed(() =>
    runSync(lib, {
      url: options.url ?? target.url,
      initSchema: options.initSchema,
      dryRun: false,
      beforeCommit: async (_batch, client) => {
        const pid = (client as unknown as { processID: number }).processID;
        backends.set(pid, backendCpuSeconds(pid));
      },
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpu = (cpu.user + cpu.system) / 1e6;
  const serverCpu = [...backends.values()].reduce((a, b) => a + b, 0);
  return { result, seconds, cpuSeconds: clientCpu + serverCpu, clientCpu, serverCpu };
}

function backendCpuSeconds(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th (in clock ticks of 1/100 s).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // PostgreSQL on another host: client CPU only
  }
}

const cpuNote = (rows: number, m: { cpuSeconds: number; clientCpu: number; serverCpu: number }) =>
  `[CPU ${m.clientCpu.toFixed(2)} s client + ${m.serverCpu.toFixed(2)} s server: ${Math.round(rows / m.cpuSeconds)} rows per CPU-second]`;

const target = await createTempDatabase('sporeprint_bench_sync');
const baselineTarget = await createTempDatabase('sporeprint_bench_sync_base');
// A second empty server for the push with embeddings, so both pushes insert the same new rows.
const vectorTarget = await createTempDatabase('sporeprint_bench_sync_vec');
const tmp = makeTempDir('sporeprint-bench-sync-');
const lib = Library.open(tmp.dir, { env: { SYNC_BATCH_SIZE: '5000' } });
try {
  console.log(`sync benchmark: ${IMAGES} images, half labelled; embeddings ${DIM}-d; baseline sample ${BASELINE}`);
  const ids = insertImages(lib.db, 'bench', IMAGES);
  claimLabels(
    lib.db,
    ids.filter((_, n) => n % 2 === 0),
    'Agaricus bisporus',
  );

  // Baseline: the obvious implementation, one parameterised upsert per image inside one transaction.
  const sample = lib.db.prepare(`SELECT * FROM image ORDER BY id LIMIT ?`).all(BASELINE) as Record<string, unknown>[];
  await runSync(lib, { url: baselineTarget.url, initSchema: true, dryRun: true });
  const base = await baselineTarget.connect();
  await base.query('SELECT 1');
  const [, baselineSeconds] = await timed(async () => {
    const { initServerSchema } = await import('../../src-main/core/sync/server-schema');
    await initServerSchema(base);
    await base.query('BEGIN');
    for (const r of sample) {
      await base.query(
        `INSERT INTO media.image (sha256, perceptual_hash, width, height, format, file_size, quality_score, quality_resolution,
           quality_sharpness, quality_noise, quality_colour, is_hq, license, attribution, source_url, first_client)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'baseline')
         ON CONFLICT (sha256) DO UPDATE SET quality_score = EXCLUDED.quality_score`,
        [
          r.sha256,
          r.perceptual_hash,
          r.width,
          r.height,
          r.format,
          r.file_size,
          r.quality_score,
          r.quality_resolution,
          r.quality_sharpness,
          r.quality_noise,
          r.quality_colour,
          r.is_hq === 1,
          r.license,
          r.attribution,
          r.source_url,
        ],
      );
    }
    await base.query('COMMIT');
  });
  await base.end();
  const baselineRate = rate(BASELINE, baselineSeconds);
  console.log(`baseline  row-at-a-time upsert, ${BASELINE} rows: ${baselineSeconds.toFixed(2)} s, ${baselineRate} rows/s`);

  const firstRun = await syncWithCpu({ initSchema: true });
  const { result: first, seconds: firstSeconds } = firstRun;
  const firstRate = rate(first.pushed, firstSeconds);
  console.log(
    `push      ${first.pushed} images, ${first.newEvents} label events, no embeddings: ${firstSeconds.toFixed(2)} s, ${firstRate} rows/s ` +
      `(${(firstRate / baselineRate).toFixed(1)}x baseline; target >= ${TARGET_ROWS_PER_SECOND}: ${firstRate >= TARGET_ROWS_PER_SECOND ? 'met' : 'NOT met'})`,
  );
  console.log(`          ${cpuNote(first.pushed, firstRun)}`);

  const [noop, noopSeconds] = await timed(() => runSync(lib, { url: target.url, initSchema: false, dryRun: false }));
  console.log(`re-sync   nothing pending (${noop.pushed} rows): ${noopSeconds.toFixed(3)} s`);

  lib.db.prepare(`UPDATE sync_state SET value = '0' WHERE key = 'push_cursor'`).run();
  lib.db.prepare(`UPDATE sync_image SET pushed_event_id = 0`).run();
  const forcedRun = await syncWithCpu({ initSchema: false });
  const { result: forced, seconds: forcedSeconds } = forcedRun;
  const forcedRate = rate(forced.pushed, forcedSeconds);
  console.log(
    `re-push   ${forced.pushed} unchanged images (cursor forgotten, server untouched): ${forcedSeconds.toFixed(2)} s, ${forcedRate} rows/s (${(forcedRate / firstRate).toFixed(2)}x first push)`,
  );
  console.log(`          ${cpuNote(forced.pushed, forcedRun)}`);

  insertVectors(lib.db, 'bench-model', ids, DIM);
  // A new target: the catalogue's cursors restart, and every image goes out again with its vector.
  const vectorRun = await syncWithCpu({ initSchema: true, url: vectorTarget.url });
  const { result: withVectors, seconds: vectorSeconds } = vectorRun;
  const vectorRate = rate(withVectors.pushed, vectorSeconds);
  console.log(
    `push      ${withVectors.pushed} images with ${DIM}-d embeddings (${withVectors.embeddingStorage}): ${vectorSeconds.toFixed(2)} s, ${vectorRate} rows/s ` +
      `(${(vectorRate / firstRate).toFixed(2)}x the push without embeddings, ${(vectorRate / baselineRate).toFixed(1)}x baseline)`,
  );
  console.log(`          ${cpuNote(withVectors.pushed, vectorRun)}`);
  const load = os.loadavg()[0]!;
  console.log(`machine   load average ${load.toFixed(1)} on ${os.cpus().length} cores while measuring`);
} finally {
  await lib.close();
  tmp.cleanup();
  await target.drop();
  await baselineTarget.drop();
  await vectorTarget.drop();
}
