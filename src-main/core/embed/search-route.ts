// Which way a filtered search goes (exact scan of the matching vectors, over-fetch on the graph, or the graph walk
// with the filter), decided from the filter's size alone, and the trace a query leaves of the way it went.
import { DEFAULT_INDEX_PARAMS } from '../vector/hnsw-index';

/**
 * Up to this many bytes of matching vectors (12k of 512 floats) an exact scan beats walking the graph: at 1M vectors
 * a deep over-fetch through HNSW loses far neighbours (recall@10 0.51 for a 1% filter, measured), the scan none.
 * The packed vectors stay in memory while the filter is in use, so this also bounds what a filter holds.
 */
export const EXACT_SCAN_MAX_BYTES = 12_000 * 512 * 4;
/** Below this fraction of the index matching, over-fetching would need most of the index: scan exactly. */
export const EXACT_SCAN_SELECTIVITY = 0.01;

/**
 * A wide filter first over-fetches unfiltered neighbours, this many times the limit over the filter's share, up to
 * the index's default ef (within it the walk is no wider than an unfiltered query's): at 100k a 20 % filter took
 * 7.8 ms p50 through the filter callback against 1.1 ms for an unfiltered query.
 */
export const OVER_FETCH_FACTOR = 2;
export const OVER_FETCH_MAX = DEFAULT_INDEX_PARAMS.efSearch;

export type FilteredRoute = 'exact' | 'over-fetch' | 'filter-walk';

export type SearchRoute =
  | 'unfiltered'
  | 'no-match'
  | FilteredRoute
  /** The over-fetch found fewer than `limit` passing neighbours and the walk with the filter answered. */
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
  /** Vectors scored by the exact scan. */
  scanned: number;
  /** Ids hnswlib asked the filter about during the walk with the filter (a JS call each). */
  filterCalls: number;
  /** Neighbours the over-fetch took from the graph, and how many of them passed the filter. */
  overFetched: number;
  overFetchPassed: number;
}

export function emptyTrace(): SearchTrace {
  return {
    route: 'unfiltered',
    indexSize: 0,
    candidates: 0,
    cached: true,
    ef: null,
    scanned: 0,
    filterCalls: 0,
    overFetched: 0,
    overFetchPassed: 0,
  };
}

/** The neighbours an over-fetch asks for: twice the limit over the filter's share, so that `limit` of them likely pass. */
export function overFetchSize(candidates: number, indexSize: number, limit: number): number {
  return Math.ceil((OVER_FETCH_FACTOR * limit * Math.max(1, indexSize)) / candidates);
}

/** The first route for a filter that `candidates` of the index's `indexSize` vectors of `dim` floats pass (candidates >= 1). */
export function chooseFilteredRoute(candidates: number, indexSize: number, limit: number, dim: number): FilteredRoute {
  const selectivity = candidates / Math.max(1, indexSize);
  if (candidates * dim * 4 <= EXACT_SCAN_MAX_BYTES || selectivity < EXACT_SCAN_SELECTIVITY) return 'exact';
  return overFetchSize(candidates, indexSize, limit) <= OVER_FETCH_MAX ? 'over-fetch' : 'filter-walk';
}
