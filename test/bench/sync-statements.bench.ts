// Where a push's server CPU goes, statement by statement: the backend CPU (read from /proc, so the server must run on
// this machine) of each statement the push's connection runs, summed by statement, beside the push's own CPU. Two
// pushes of N images (default 100k): a library to an empty server (its images go by COPY), then a second curator's
// library holding the same images (every row through the merge), as in sync.bench.ts. The /proc clock ticks every
// 10 ms, so only sums over many batches mean anything.
// usage: npm run bench:sync-statements -- [--images N]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Library } from '../../src-main/core/library';
import { runSync } from '../../src-main/core/sync/run-sync';
import { initServerSchema } from '../../src-main/core/sync/server-schema';
import { claimLabels, insertImages } from '../fixtures/catalog-rows';
import { createTempDatabase, hasPostgres, POSTGRES_SKIP_REASON } from '../fixtures/pg-database';
import { makeTempDir } from '../fixtures/temp-library';
import { processSeconds } from './step-cpu';

const { values } = parseArgs({ options: { images: { type: 'string', default: '100000' } } });
const IMAGES = Number(values.images);
if (!hasPostgres) {
  console.log(`skipped: ${POSTGRES_SKIP_REASON}`);
  process.exit(0);
}

interface Totals {
  count: number;
  server: number;
  wall: number;
}
const totals = new Map<string, Totals>();
// Statements run one at a time on a connection, so a statement's cost is what its backend spent until the next began.
let running: { label: string; pid: number; cpu: number; at: number } | null = null;
function settle(): void {
  if (!running) return;
  const now = processSeconds(running.pid);
  const t = totals.get(running.label) ?? { count: 0, server: 0, wall: 0 };
  t.count++;
  if (now !== null) t.server += now - running.cpu;
  t.wall += (performance.now() - running.at) / 1000;
  totals.set(running.label, t);
  running = null;
}
function begin(client: { processID?: number }, text: string): void {
  settle();
  const pid = client.processID;
  const cpu = pid === undefined ? null : processSeconds(pid);
  if (pid === undefined || cpu === null) return;
  running = { label: text.replace(/\s+/g, ' ').trim().slice(0, 70), pid, cpu, at: performance.now() };
}

// The push's client is node-postgres's: its query() is wrapped to see each statement's text, COPYs included (copy-in.ts
// submits an object whose submit() sends the COPY statement).
interface Submittable {
  submit(connection: { query(text: string): void }): void;
}
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const prototype = pg.Client.prototype as unknown as { query: Query };
const query = prototype.query;
prototype.query = function (this: pg.Client & { processID?: number }, ...args: unknown[]) {
  const first = args[0];
  if (typeof first === 'string') begin(this, first);
  else if (typeof first === 'object' && first !== null && 'submit' in first) {
    const submittable = first as Submittable;
    const submit = submittable.submit.bind(submittable);
    submittable.submit = (connection) => {
      // Its own query() for this one call, then the connection's method again.
      connection.query = (text: string) => {
        delete (connection as Partial<typeof connection>).query;
        begin(this, text);
        connection.query(text);
      };
      submit(connection);
    };
  } else if (typeof first === 'object' && first !== null && 'text' in first) begin(this, String(first.text));
  return query.apply(this, args);
};

function report(title: string, seconds: number, cpu: NodeJS.CpuUsage): void {
  settle();
  console.log(
    `${title}: ${seconds.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s here; server backend CPU by statement:`,
  );
  let sum = 0;
  for (const [label, t] of [...totals].sort((a, b) => b[1].server - a[1].server)) {
    sum += t.server;
    if (t.server >= 0.02) console.log(`  ${t.server.toFixed(2)} s  x${String(t.count).padEnd(4)} ${label}`);
  }
  console.log(`  ${sum.toFixed(2)} s  in all`);
  totals.clear();
}

const first = makeTempDir('sporeprint-bench-statements-');
const second = makeTempDir('sporeprint-bench-statements-second-');
const target = await createTempDatabase('sporeprint_bench_statements');
const libraries = [
  Library.open(first.dir, { env: { SYNC_BATCH_SIZE: '5000', SPOREPRINT_CURATOR: 'bench' } }),
  Library.open(second.dir, { env: { SYNC_BATCH_SIZE: '5000', SPOREPRINT_CURATOR: 'second' } }),
];
try {
  for (const lib of libraries) {
    const ids = insertImages(lib.db, 'bench', IMAGES);
    claimLabels(
      lib.db,
      ids.filter((_, n) => n % 2 === 0),
      'Agaricus bisporus',
    );
  }
  const client = await target.connect();
  await initServerSchema(client, { embeddingStorage: 'real[]' });
  await client.end();
  settle();
  totals.clear();
  console.log(`${IMAGES} images, half labelled, no embeddings; batches of 5000`);
  for (const [n, lib] of libraries.entries()) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await runSync(lib, { url: target.url, initSchema: false, dryRun: false });
    report(n === 0 ? 'to an empty server' : 'a second curator (every row merged)', (performance.now() - t0) / 1000, process.cpuUsage(cpu0));
  }
} finally {
  for (const lib of libraries) await lib.close();
  await target.drop();
  first.cleanup();
  second.cleanup();
}
