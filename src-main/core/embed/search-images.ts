// Text-to-image and image-to-image search: a query vector, the model's index, filters without recall loss.
import * as z from 'zod';
import { LABEL_STATES, type LabelState, type SearchHit } from '../../../src-shared/model';
import type { Db } from '../catalog/database';
import { imagePathReader } from '../catalog/location-repository';
import { parseIds, parseRow } from '../catalog/parse-rows';
import { cachedStatement } from '../catalog/statement-cache';
import { carriedAcrossChanges } from '../catalog/version-cache';
import { SporeprintError } from '../errors';
import type { LibraryContext } from '../library-context';
import { derivativeRelativePath } from '../library-paths';
import { indexes } from '../vector/index-registry';
import type { Neighbour, VectorIndex } from '../vector/hnsw-index';
import { PackedVectors } from '../vector/packed-vectors';
import { bytesOfScanRows, CarriedScanRows, type BuiltScanRows, type ScanRows } from './carried-scan-rows';
import { bytesOfIds, carryAllowedIds, type AllowedIds } from './carried-allowed-ids';
import { QuantizedVectors } from '../vector/quantized-vectors';
import { fromBlob, readVectorBlobs } from '../vector/vector-store';
import {
  chooseFilteredRoute,
  emptyTrace,
  fallbackRoute,
  overFetchEf,
  overFetchSize,
  type FilteredRoute,
  type SearchTrace,
} from './search-route';

export interface SearchFilters {
  limit: number;
  labelState?: LabelState;
  taxon?: string;
  minQuality?: number;
  hq?: boolean;
}

function hasFilters(f: SearchFilters): boolean {
  return f.labelState !== undefined || f.taxon !== undefined || f.minQuality !== undefined || f.hq !== undefined;
}

/** The filters as a cache key (the limit is not a filter). */
function filterKey(f: SearchFilters): string {
  return JSON.stringify([f.labelState ?? null, f.taxon ?? null, f.minQuality ?? null, f.hq ?? null]);
}

/**
 * Ids of images that pass the filters, found once per filter and catalogue version. image_vector is deliberately not joined: its rows carry the vector
 * BLOBs, so scanning it for ids would read every vector; the index (or the exact scan) skips ids without one.
 */
function allowedIds(db: Db, f: SearchFilters, trace: SearchTrace): Set<number> {
  const key = `search-allowed\u0000${filterKey(f)}`;
  return carriedAcrossChanges<AllowedIds>(
    db,
    key,
    (previous) => {
      trace.cached = false;
      const carried = carryAllowedIds(
        db,
        previous,
        () => queryAllowedIds(db, f),
        (ids) => recheckAllowedIds(db, f, ids),
      );
      trace.idsRechecked = carried.rechecked;
      return carried;
    },
    (carried) => bytesOfIds(carried.ids),
  ).ids;
}

/** The filter's parameters: LIKE for ASCII case-insensitivity, the user's text escaped so % and _ match themselves. */
function filterParams(f: SearchFilters) {
  const taxon = f.taxon === undefined ? null : f.taxon.replace(/[\\%_]/g, (c) => `\\${c}`);
  const hq = f.hq === undefined ? null : f.hq ? 1 : 0;
  return { state: f.labelState ?? null, taxon, minQuality: f.minQuality ?? null, hq };
}

/** Those of `ids` that pass the filters now (the images a write touched): the same conditions as queryAllowedIds. */
function recheckAllowedIds(db: Db, f: SearchFilters, ids: number[]): number[] {
  const sql = `SELECT i.id FROM json_each(@only) j JOIN image i ON i.id = j.value LEFT JOIN label l ON l.image_id = i.id
    WHERE (@state IS NULL OR l.state = @state)
      AND (@taxon IS NULL OR l.taxon LIKE @taxon ESCAPE '\\' OR l.taxon LIKE @taxon || ' %' ESCAPE '\\')
      AND (@minQuality IS NULL OR i.quality_score >= @minQuality)
      AND (@hq IS NULL OR i.is_hq = @hq)`;
  return parseIds(
    cachedStatement(db, sql)
      .pluck()
      .all({ ...filterParams(f), only: JSON.stringify(ids) }),
    'search filter',
  );
}

function queryAllowedIds(db: Db, f: SearchFilters): Set<number> {
  const params = filterParams(f);
  // Driven from label when a label filter is given (label_state index), else from image (quality index when a minimum
  // is given, so it stays a range scan).
  const sql =
    f.labelState !== undefined || f.taxon !== undefined
      ? `SELECT l.image_id FROM label l JOIN image i ON i.id = l.image_id
          WHERE (@state IS NULL OR l.state = @state)
            AND (@taxon IS NULL OR l.taxon LIKE @taxon ESCAPE '\\' OR l.taxon LIKE @taxon || ' %' ESCAPE '\\')
            AND (@minQuality IS NULL OR i.quality_score >= @minQuality)
            AND (@hq IS NULL OR i.is_hq = @hq)`
      : f.minQuality !== undefined
        ? `SELECT id FROM image WHERE quality_score >= @minQuality AND (@hq IS NULL OR is_hq = @hq) AND @state IS NULL AND @taxon IS NULL`
        : `SELECT id FROM image WHERE is_hq = @hq AND @state IS NULL AND @minQuality IS NULL AND @taxon IS NULL`;
  return new Set(parseIds(db.prepare(sql).pluck().all(params), 'search filter'));
}

const hitRow = z.object({ sha256: z.string(), quality: z.number(), taxon: z.string().nullable(), state: z.enum(LABEL_STATES).nullable() });

// Scan rows are built once per filter, model and catalogue version, carried over changes that wrote no vector.
const packedRows = new CarriedScanRows((dim, rows) => new PackedVectors(dim, rows));
const quantizedRows = new CarriedScanRows((dim, rows) => new QuantizedVectors(dim, rows));

/**
 * The allowed images' vectors laid out for a scan (float32 for the SIMD kernel, or int8): a scan is then a pass over
 * memory already laid out, with no SQLite read or copy per query.
 */
function scanRows<T extends ScanRows>(
  kind: CarriedScanRows<T>,
  name: string,
  db: Db,
  index: VectorIndex,
  f: SearchFilters,
  ids: Set<number>,
  trace: SearchTrace,
): T {
  const key = `${name}\u0000${index.modelId}\u0000${filterKey(f)}`;
  return carriedAcrossChanges<BuiltScanRows<T>>(
    db,
    key,
    (previous) => {
      trace.cached = false;
      const built = kind.build(db, previous, ids, { dim: index.dim, read: (wanted) => readVectorBlobs(db, index.modelId, wanted) });
      trace.vectorsRead = built.read;
      return built;
    },
    bytesOfScanRows,
  ).rows;
}
function exactScan(db: Db, index: VectorIndex, f: SearchFilters, ids: Set<number>, query: Float32Array, trace: SearchTrace): Neighbour[] {
  const candidates = scanRows(packedRows, 'search-vectors', db, index, f, ids, trace);
  trace.scanned = candidates.rows;
  return candidates.nearest(query, f.limit);
}

/** The int8 scan, then the rows that could be in the top `limit` scored from their float32 vectors. */
function quantizedScan(
  db: Db,
  index: VectorIndex,
  f: SearchFilters,
  ids: Set<number>,
  query: Float32Array,
  trace: SearchTrace,
): Neighbour[] {
  const candidates = scanRows(quantizedRows, 'search-quantized', db, index, f, ids, trace);
  trace.scanned = candidates.rows;
  return candidates.nearest(query, f.limit, (wanted) => {
    trace.rescored = wanted.length;
    // From the catalogue: since migration 021 twenty vectors read there in ~0.25 ms of CPU at 100k (~0.5 ms at 1M),
    // where hnswlib's getPoint took ~1.5 ms for the same twenty.
    return new Map(readVectorBlobs(db, index.modelId, wanted).map((row) => [row.imageId, fromBlob(row.vector)]));
  });
}

/** The scan `fallbackRoute` chose (or the first route did), with the route the trace records for it. */
function scan(route: 'exact' | 'quantized', ...args: Parameters<typeof exactScan>): Neighbour[] {
  return route === 'exact' ? exactScan(...args) : quantizedScan(...args);
}

export interface SearchOptions {
  /** Filled with the way the query went (route, candidate count, ef, work done). */
  trace?: SearchTrace;
  /** Takes this route for a filtered query instead of the chosen one: for bench:search, which times every route. */
  route?: FilteredRoute;
}

/** The `limit` nearest images passing the filters, best first. */
export async function nearestImages(
  ctx: LibraryContext,
  modelId: string,
  query: Float32Array,
  filters: SearchFilters,
  { trace = emptyTrace(), route }: SearchOptions = {},
): Promise<Neighbour[]> {
  const index = await indexes(ctx).get(modelId);
  if (query.length !== index.dim) {
    throw new SporeprintError('INDEX_ERROR', `query vector has ${query.length} dimensions but ${modelId} vectors have ${index.dim}`);
  }
  Object.assign(trace, emptyTrace(), { indexSize: index.size, candidates: index.size });
  if (!hasFilters(filters)) {
    trace.ef = index.efFor(filters.limit);
    return index.search(query, filters.limit);
  }
  const allowed = allowedIds(ctx.db, filters, trace);
  trace.candidates = allowed.size;
  if (allowed.size === 0) {
    trace.route = 'no-match';
    return [];
  }
  trace.route = route ?? chooseFilteredRoute(allowed.size, index.size, filters.limit, index.dim);
  if (trace.route === 'exact' || trace.route === 'quantized') return scan(trace.route, ctx.db, index, filters, allowed, query, trace);
  if (trace.route === 'over-fetch') {
    // A wide filter: first the unfiltered neighbours, twice as many as the filter's share should need, kept if
    // enough pass (their order is the index's, so the first `limit` that pass are the filtered answer). This skips
    // hnswlib's filter callback, a call into JS for every node the walk visits.
    const wanted = overFetchSize(allowed.size, index.size, filters.limit);
    const ef = overFetchEf(wanted, index.efFor(wanted));
    const passing = index.search(query, wanted, undefined, ef).filter((n) => allowed.has(n.imageId));
    Object.assign(trace, { ef, overFetched: wanted, overFetchPassed: passing.length });
    if (passing.length >= filters.limit) return passing.slice(0, filters.limit);
    // Too few passed (the query sits where the filter is rare): a scan when one fits, as at first choice.
    const fallback = fallbackRoute(allowed.size, index.size, index.dim);
    if (fallback !== 'filter-walk') {
      trace.route = fallback === 'exact' ? 'over-fetch+exact' : 'over-fetch+quantized';
      return scan(fallback, ctx.db, index, filters, allowed, query, trace);
    }
    trace.route = 'over-fetch+filter-walk';
  }
  // Otherwise hnswlib skips the ids that fail the filter while it walks the graph, so the walk goes on until
  // `limit` matching neighbours are found; should it run out first, the exact scan answers.
  trace.ef = index.efFor(filters.limit);
  const kept = index.search(query, filters.limit, (id) => {
    trace.filterCalls++;
    return allowed.has(id);
  });
  if (kept.length >= filters.limit) return kept;
  trace.route = 'filter-walk+exact';
  return exactScan(ctx.db, index, filters, allowed, query, trace);
}

/** Neighbours as hits with paths, thumbnail, taxon, label state and quality, in score order. */
export function toSearchHits(db: Db, neighbours: Neighbour[]): SearchHit[] {
  const image = db.prepare(
    `SELECT i.sha256, i.quality_score AS quality, l.taxon, l.state FROM image i LEFT JOIN label l ON l.image_id = i.id WHERE i.id = ?`,
  );
  const paths = imagePathReader(db);
  const hits: SearchHit[] = [];
  for (const n of neighbours) {
    const row = parseRow(hitRow, image.get(n.imageId), 'search hit');
    // An image deleted since the index was built is skipped rather than shown as a broken hit.
    if (!row) continue;
    hits.push({
      imageId: n.imageId,
      score: n.score,
      paths: paths(n.imageId),
      thumbPath: derivativeRelativePath(row.sha256, 'thumb', 'jpeg'),
      taxon: row.taxon,
      labelState: row.state,
      qualityScore: row.quality,
    });
  }
  return hits;
}
