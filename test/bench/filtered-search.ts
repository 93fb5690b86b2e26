// The filtered half of bench:search: filters of several widths through the product path (search-images.ts), each
// query's route (exact scan, int8 scan, over-fetch, walk with the filter), and its latency and recall against an exact
// top-k heap scan of the matching vectors measured in the same run. Slow queries are printed one by one with the
// garbage collections that overlapped them, so a slow p95 can be told apart from the route that caused it.
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { nearestImages } from '../../src-main/core/embed/search-images';
import {
  emptyTrace,
  OVER_FETCH_MAX,
  overFetchEf,
  overFetchSize,
  type FilteredRoute,
  type SearchTrace,
} from '../../src-main/core/embed/search-route';
import { MAX_CACHED_BYTES } from '../../src-main/core/catalog/version-cache';
import type { Library } from '../../src-main/core/library';
import { exactTopK } from '../../src-main/core/vector/top-k';

export interface FilterCase {
  name: string;
  filters: { labelState?: 'source_claimed'; taxon?: string };
  /** The same filter over image ids, for the exact baseline. */
  allow: (id: number) => boolean;
}

interface QueryRecord {
  q: number;
  start: number;
  ms: number;
  /** CPU time of the process over the query (user + system): wall time minus the time it waited for a core. */
  cpuMs: number;
  trace: SearchTrace;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** The rows of `data` whose id passes `allow`, packed as Float64Array ids (the product's exact scan's layout). */
function packAllowed(
  data: Float32Array,
  ids: number[],
  dim: number,
  allow: (id: number) => boolean,
): { data: Float32Array; ids: Float64Array } {
  const keep: number[] = [];
  ids.forEach((id, i) => {
    if (allow(id)) keep.push(i);
  });
  const out = new Float32Array(keep.length * dim);
  keep.forEach((row, j) => out.set(data.subarray(row * dim, (row + 1) * dim), j * dim));
  return { data: out, ids: Float64Array.from(keep, (row) => ids[row]!) };
}

/** Garbage collections (start, duration) recorded while `run` ran; entries arrive after it, so they are collected then. */
async function withGcLog<T>(run: () => Promise<T>): Promise<{ result: T; gcs: PerformanceEntry[] }> {
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const result = await run();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { result, gcs };
}

function describeTrace(t: SearchTrace): string {
  const parts = [`${t.route}`, `candidates ${t.candidates.toLocaleString()}`, t.cached ? 'cached' : 'built now'];
  if (t.ef !== null) parts.push(`ef ${t.ef}`);
  if (t.scanned) parts.push(`scanned ${t.scanned.toLocaleString()}`);
  if (t.rescored) parts.push(`rescored ${t.rescored}`);
  if (t.overFetched) parts.push(`over-fetched ${t.overFetched} (${t.overFetchPassed} passed)`);
  if (t.filterCalls) parts.push(`filter calls ${t.filterCalls.toLocaleString()}`);
  return parts.join(', ');
}

interface Run {
  records: QueryRecord[];
  /** Per query, the baseline's time: the exact heap scan of the pre-packed matching vectors. */
  exactMs: number[];
  recall: number;
  gcs: PerformanceEntry[];
}

const cpuMsSince = (cpu: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
};

/** `count` queries of one filter through the product (its own route, or `route`), each checked against the exact scan. */
async function runQueries(
  lib: Library,
  modelId: string,
  packed: { data: Float32Array; ids: Float64Array },
  filters: FilterCase['filters'],
  query: (q: number) => Float32Array,
  k: number,
  count: number,
  route?: FilteredRoute,
): Promise<Run> {
  const exactMs: number[] = [];
  let found = 0;
  const { result: records, gcs } = await withGcLog(async () => {
    const out: QueryRecord[] = [];
    for (let q = 0; q < count; q++) {
      const trace = emptyTrace();
      const cpu = process.cpuUsage();
      const t = performance.now();
      const hits = await nearestImages(lib, modelId, query(q), { limit: k, ...filters }, { trace, route });
      const ms = performance.now() - t;
      out.push({ q, start: t, ms, cpuMs: cpuMsSince(cpu), trace });
      const te = performance.now();
      const exact = new Set(exactTopK(packed.data, packed.ids, query(q).length, query(q), k).map((n) => n.imageId));
      exactMs.push(performance.now() - te);
      found += hits.filter((h) => exact.has(h.imageId)).length;
    }
    return out;
  });
  return { records, exactMs: exactMs.sort((a, b) => a - b), recall: found / (count * k), gcs };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const spread = (values: number[]) => {
  const s = sorted(values);
  return `p50 ${pct(s, 50).toFixed(2)} ms, p95 ${pct(s, 95).toFixed(2)} ms, max ${s.at(-1)!.toFixed(2)} ms`;
};

export async function benchFilteredSearch(
  lib: Library,
  modelId: string,
  data: Float32Array,
  ids: number[],
  queries: Float32Array,
  options: { dim: number; k: number; queries: number; routeQueries: number; targetMs: number; traceAll: boolean },
  cases: FilterCase[],
): Promise<void> {
  const { dim, k } = options;
  const query = (q: number) => queries.subarray(q * dim, (q + 1) * dim);
  for (const c of cases) {
    const packed = packAllowed(data, ids, dim, c.allow);
    // The first query builds the filter's candidate set (and opens the index): timed apart, as the first query
    // after any catalogue change pays it.
    const firstTrace = emptyTrace();
    const cpu = process.cpuUsage();
    const t = performance.now();
    await nearestImages(lib, modelId, query(0), { limit: k, ...c.filters }, { trace: firstTrace });
    const firstMs = performance.now() - t;
    const firstCpuMs = cpuMsSince(cpu);
    const { records, exactMs, recall, gcs } = await runQueries(lib, modelId, packed, c.filters, query, k, options.queries);
    const times = sorted(records.map((r) => r.ms));
    const routes = new Map<string, number>();
    for (const r of records) routes.set(r.trace.route, (routes.get(r.trace.route) ?? 0) + 1);
    console.log(
      `filtered by ${c.name} (${packed.ids.length.toLocaleString()} matches), ${records.length} queries: ${spread(records.map((r) => r.ms))}, ` +
        `recall@${k} ${recall.toFixed(4)}; routes ${[...routes].map(([route, n]) => `${route} ${n}`).join(', ')}  [target p95 <= ${options.targetMs} ms, recall >= 0.98]`,
    );
    console.log(`  CPU time per query (not counting waits for a core): ${spread(records.map((r) => r.cpuMs))}`);
    console.log(
      `  baseline, exact heap scan of the ${packed.ids.length.toLocaleString()} matching vectors (pre-packed, JavaScript): ${spread(exactMs)}: ` +
        `product ${(pct(exactMs, 50) / pct(times, 50)).toFixed(2)}x faster at p50, ${(pct(exactMs, 95) / pct(times, 95)).toFixed(2)}x at p95`,
    );
    console.log(
      `  first query (${firstTrace.cached ? 'candidates already built' : 'builds the candidates'}): ${firstMs.toFixed(1)} ms, CPU ${firstCpuMs.toFixed(1)} ms; ` +
        `typical query: ${describeTrace(records[Math.floor(records.length / 2)]!.trace)}`,
    );
    printSlowQueries(records, gcs, options);
    // Every route on the same queries, whichever the product chose: where the switch points should be.
    for (const route of ['exact', 'quantized', 'over-fetch', 'filter-walk'] as const) {
      // A scan whose packed vectors exceed the version cache's budget would read them from SQLite again on every
      // query (a full pass over the vectors' table): the product never takes it (its bounds are far below).
      const scanBytes = route === 'exact' ? packed.ids.length * dim * 4 : route === 'quantized' ? packed.ids.length * dim : 0;
      if (scanBytes > MAX_CACHED_BYTES) {
        console.log(
          `  route ${route.padEnd(11)} skipped: its ${(scanBytes / 1048576).toFixed(0)} MB of packed vectors exceed the version cache's ${MAX_CACHED_BYTES / 1048576} MB, so every query would read them again`,
        );
        continue;
      }
      const wanted = overFetchSize(packed.ids.length, ids.length, k);
      if (route === 'over-fetch' && wanted > 4 * OVER_FETCH_MAX) {
        console.log(
          `  route over-fetch  skipped: it would fetch ${wanted.toLocaleString()} neighbours with ef ${overFetchEf(wanted, 0).toLocaleString()}`,
        );
        continue;
      }
      const forced = await runQueries(lib, modelId, packed, c.filters, query, k, options.routeQueries, route);
      const typical = forced.records[Math.floor(forced.records.length / 2)]!.trace;
      console.log(
        `  route ${route.padEnd(11)} (forced, ${forced.records.length} queries): CPU ${spread(forced.records.map((r) => r.cpuMs))}; ` +
          `wall p50 ${pct(sorted(forced.records.map((r) => r.ms)), 50).toFixed(2)} ms; recall@${k} ${forced.recall.toFixed(4)}; typical: ${describeTrace(typical)}`,
      );
    }
  }
}

/** Every query with --trace; else the five slowest over the target, and how many were over it on CPU time too. */
function printSlowQueries(records: QueryRecord[], gcs: PerformanceEntry[], options: { targetMs: number; traceAll: boolean }): void {
  // A query over the target in wall time but not in CPU time waited for a core or a collection, not for its own work.
  const over = records.filter((r) => r.ms > options.targetMs);
  if (over.length && !options.traceAll)
    console.log(
      `  ${over.length} of ${records.length} queries over ${options.targetMs} ms, ${over.filter((r) => r.cpuMs > options.targetMs).length} of them on CPU time; the slowest:`,
    );
  const shown = options.traceAll ? records : over.sort((a, b) => b.ms - a.ms).slice(0, 5);
  for (const r of shown) {
    const overlapping = gcs.filter((g) => g.startTime < r.start + r.ms && g.startTime + g.duration > r.start);
    const gc = overlapping.length
      ? `; GC during it: ${overlapping.map((g) => `${g.duration.toFixed(1)} ms (${gcKind(g)})`).join(', ')}`
      : '; no GC during it';
    console.log(`  query ${r.q}: ${r.ms.toFixed(2)} ms (CPU ${r.cpuMs.toFixed(2)} ms), ${describeTrace(r.trace)}${gc}`);
  }
}

function gcKind(entry: PerformanceEntry): string {
  const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  // perf_hooks.constants: NODE_PERFORMANCE_GC_MAJOR 4, MINOR 1, INCREMENTAL 8, WEAKCB 16.
  return kind === 4 ? 'major' : kind === 1 ? 'minor' : kind === 8 ? 'incremental' : kind === 16 ? 'weak callbacks' : `kind ${kind}`;
}
