// Which way a filtered search goes (exact scan of the matching vectors, in float32 or int8, over-fetch on the graph,
// or the graph walk with the filter), decided from the filter's size alone, and the trace a query leaves of the way it went.

/**
 * Up to this many bytes of matching vectors (12k of 512 floats) the exact scan is taken first: at 100k (bench:search,
 * load ~10) a 10 % filter's 10k vectors scan in 2.9 ms of CPU against 3.0 ms for the over-fetch (recall 0.962) and
 * 21.5 ms for the walk with the filter. The packed vectors stay in memory while the filter is in use.
 */
export const EXACT_SCAN_MAX_BYTES = 12_000 * 512 * 4;
/**
 * A filter past the first bound that the over-fetch cannot serve is scanned in int8 (QuantizedVectors: a quarter of
 * the bytes, then the few rows whose error bound reaches the top k scored again from their floats, so still exact)
 * up to this many bytes of int8 rows (256k of 512). It replaced the float32 scan of 12k-64k vectors and, past 64k, the
 * walk with the filter (at 1M, filters of 6.4-20 %). At 1M (bench:search --million, load ~5, CPU p50): a 10 % filter
 * 4.8 ms against 31.6 ms for the walk (recall 0.972) and 9.2 ms for the float32 scan; 5 % 4.0 against 4.5 ms for the
 * float32 scan and 58.7 ms for the walk (0.948); a 20 % filter's 200k vectors 8.2 ms. Its bounds keep 12-30 rows
 * to rescore (median) from 50k-200k.
 */
export const QUANTIZED_SCAN_MAX_BYTES = 256_000 * 512;
/** Below this fraction of the index matching, over-fetching would need most of the index: scan (in int8) however many. */
export const EXACT_SCAN_SELECTIVITY = 0.01;

/**
 * A wide filter first over-fetches unfiltered neighbours, this many times the limit over the filter's share, so that
 * `limit` of them likely pass; this skips hnswlib's filter callback, a call into JS for every node the walk visits.
 */
export const OVER_FETCH_FACTOR = 2;
/**
 * The over-fetch walks the graph with ef at least this many times the neighbours it asks for: with ef equal to them
 * the farther ones are approximate and the filtered answer lost neighbours (recall@10 0.962 for a 10 % filter at
 * 100k), with 100 of ef 256 (20 % filter) none at 100k and 0.999 at 250k, as with ef 300. Within OVER_FETCH_MAX
 * the index's own ef 256 suffices; the factor keeps the margin should the maximum be raised.
 */
export const OVER_FETCH_EF_FACTOR = 2.5;
/**
 * The most neighbours an over-fetch asks for (with ef 256): filters of 20 / 100 = 20 % of the index or more (recall@10
 * 0.999-1.000 at 100k and 250k). Deeper over-fetches lose recall whatever their ef: 10 % (200 neighbours, ef 600)
 * gave 0.982 at 100k and 0.968 at 250k, 5 % (400, ef 1,200) 0.958 and 0.930, as ranks that deep are far outside the
 * query's neighbourhood, where HNSW's order is loose; the exact scan of those 25k vectors took the same CPU (7.3 ms).
 */
export const OVER_FETCH_MAX = 100;

export type FilteredRoute = 'exact' | 'quantized' | 'over-fetch' | 'filter-walk';

export type SearchRoute =
  | 'unfiltered'
  | 'no-match'
  | FilteredRoute
  /** The over-fetch found fewer than `limit` passing neighbours and the exact scan answered. */
  | 'over-fetch+exact'
  /** The same, and the int8 scan answered. */
  | 'over-fetch+quantized'
  /** The same, for a filter too large to scan: the walk with the filter answered. */
  | 'over-fetch+filter-walk'
  /** The walk with the filter ran out before `limit` matches and the exact scan answered. */
  | 'filter-walk+exact';

/** How one query was answered: what the bench prints per query, and what tests check the choice by. */
export interface SearchTrace {
  route: SearchRoute;
  /** Live vectors in the model's index. */
  indexSize: number;
  /** Images passing the filter (the index size when unfiltered). */
  candidates: number;
  /** Whether the filter's ids (and, on the exact route, their packed vectors) were already built for this catalogue version. */
  cached: boolean;
  /** The ef of the last graph walk, or null when the graph was not walked. */
  ef: number | null;
  /** Vectors scored by the exact scan (float32, or int8 on the quantized route). */
  scanned: number;
  /** Vectors the quantized route scored again from their float32 values: those that could be in the top k. */
  rescored: number;
  /** Ids hnswlib asked the filter about during the walk with the filter (a JS call each). */
  filterCalls: number;
  /** Neighbours the over-fetch took from the graph, and how many of them passed the filter. */
  overFetched: number;
  overFetchPassed: number;
  /**
   * Stored vectors read from the catalogue to build the scan's rows: all the filter's when built from scratch, only
   * the newly allowed ones when carried over a change that wrote no vector (carried-scan-rows.ts), 0 when cached.
   */
  vectorsRead: number;
  /** Images a write touched that were checked against the filter again (carried-allowed-ids.ts), or null when its whole query ran (or it was cached). */
  idsRechecked: number | null;
}

export function emptyTrace(): SearchTrace {
  return {
    route: 'unfiltered',
    indexSize: 0,
    candidates: 0,
    cached: true,
    ef: null,
    scanned: 0,
    rescored: 0,
    filterCalls: 0,
    overFetched: 0,
    overFetchPassed: 0,
    vectorsRead: 0,
    idsRechecked: null,
  };
}

/** The neighbours an over-fetch asks for: twice the limit over the filter's share, so that `limit` of them likely pass. */
export function overFetchSize(candidates: number, indexSize: number, limit: number): number {
  return Math.ceil((OVER_FETCH_FACTOR * limit * Math.max(1, indexSize)) / candidates);
}

/** The ef the over-fetch of `wanted` neighbours walks with: the index's own, or 2.5 times `wanted` if more. */
export function overFetchEf(wanted: number, defaultEf: number): number {
  return Math.max(defaultEf, Math.ceil(OVER_FETCH_EF_FACTOR * wanted));
}

/**
 * The first route for a filter that `candidates` of the index's `indexSize` vectors of `dim` floats pass
 * (candidates >= 1): an exact scan when it is cheap, else the over-fetch when the filter is wide enough for it, else
 * the int8 scan up to its memory bound, and the walk with the filter only past all of these.
 */
export function chooseFilteredRoute(candidates: number, indexSize: number, limit: number, dim: number): FilteredRoute {
  if (candidates * dim * 4 <= EXACT_SCAN_MAX_BYTES) return 'exact';
  if (overFetchSize(candidates, indexSize, limit) <= OVER_FETCH_MAX) return 'over-fetch';
  return fallbackRoute(candidates, indexSize, dim);
}

/** What answers a filter the over-fetch does not (or did not: too few of its neighbours passed). */
export function fallbackRoute(candidates: number, indexSize: number, dim: number): 'exact' | 'quantized' | 'filter-walk' {
  if (candidates * dim * 4 <= EXACT_SCAN_MAX_BYTES) return 'exact';
  const rare = candidates / Math.max(1, indexSize) < EXACT_SCAN_SELECTIVITY;
  return candidates * dim <= QUANTIZED_SCAN_MAX_BYTES || rare ? 'quantized' : 'filter-walk';
}
