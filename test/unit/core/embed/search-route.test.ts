// chooseFilteredRoute: small candidate sets are scanned exactly, wide filters over-fetch on the graph, sets the
// over-fetch cannot serve are scanned in int8 up to its memory bound, and only what none covers walks the graph
// with the filter.
import { describe, expect, it } from 'vitest';
import {
  chooseFilteredRoute,
  fallbackRoute,
  EXACT_SCAN_MAX_BYTES,
  OVER_FETCH_MAX,
  QUANTIZED_SCAN_MAX_BYTES,
  overFetchEf,
  overFetchSize,
} from '../../../../src-main/core/embed/search-route';

const DIM = 512;
/** The most 512-float vectors the exact route takes, and the most the int8 scan takes for a filter that is not rare. */
const EXACT_MAX = Math.floor(EXACT_SCAN_MAX_BYTES / (DIM * 4));
const QUANTIZED_MAX = Math.floor(QUANTIZED_SCAN_MAX_BYTES / DIM);
/** The narrowest filter the over-fetch serves, in an index of `size`. */
const narrowestOverFetch = (size: number) => Math.ceil((2 * 10 * size) / OVER_FETCH_MAX);

describe('chooseFilteredRoute', () => {
  it('scans exactly while the packed candidates fit the first budget, however wide the filter', () => {
    expect(chooseFilteredRoute(1, 100_000, 10, DIM)).toBe('exact');
    expect(chooseFilteredRoute(1_000, 100_000, 10, DIM)).toBe('exact');
    expect(chooseFilteredRoute(EXACT_MAX, 100_000, 10, DIM)).toBe('exact');
    // The whole of a small index: no graph walk beats reading every vector once.
    expect(chooseFilteredRoute(EXACT_MAX, EXACT_MAX, 10, DIM)).toBe('exact');
  });

  it('counts the budget in bytes: four times the floats fit four times fewer vectors', () => {
    // 20 % of the index: the over-fetch serves it once the vectors are too many bytes to scan first.
    expect(chooseFilteredRoute(EXACT_MAX, EXACT_MAX * 5, 10, DIM * 4)).toBe('over-fetch');
    expect(chooseFilteredRoute(Math.floor(EXACT_MAX / 4), EXACT_MAX * 5, 10, DIM * 4)).toBe('exact');
  });

  it('over-fetches on the graph for a wide filter past the first budget, with ef at least 2.5 times the neighbours fetched', () => {
    // 20 % of 1M: 10 / 0.2 x 2 = 100 neighbours, walked with the index's own ef 256.
    expect(overFetchSize(200_000, 1_000_000, 10)).toBe(100);
    expect(overFetchEf(100, 256)).toBe(256);
    expect(overFetchEf(200, 256)).toBe(500);
    expect(chooseFilteredRoute(200_000, 1_000_000, 10, DIM)).toBe('over-fetch');
    expect(chooseFilteredRoute(narrowestOverFetch(1_000_000), 1_000_000, 10, DIM)).toBe('over-fetch');
    expect(chooseFilteredRoute(20_000, 100_000, 10, DIM)).toBe('over-fetch');
    // Past the first budget but narrower than the over-fetch serves: scanned in int8 (12 % of 100k).
    expect(chooseFilteredRoute(EXACT_MAX + 1, 100_000, 10, DIM)).toBe('quantized');
  });

  it('scans in int8 up to its bound a filter too narrow for the over-fetch: the 6.4-20 % filters at 1M', () => {
    const size = 1_000_000;
    expect(narrowestOverFetch(size)).toBeLessThanOrEqual(QUANTIZED_MAX);
    // 5 % and 10 % of 1M: 400 and 200 neighbours would be needed; their 50k and 100k vectors are scanned in int8,
    // as is everything up to the narrowest filter the over-fetch serves (20 %).
    expect(chooseFilteredRoute(EXACT_MAX + 1, size, 10, DIM)).toBe('quantized');
    expect(chooseFilteredRoute(50_000, size, 10, DIM)).toBe('quantized');
    expect(chooseFilteredRoute(64_001, size, 10, DIM)).toBe('quantized');
    expect(chooseFilteredRoute(100_000, size, 10, DIM)).toBe('quantized');
    expect(chooseFilteredRoute(narrowestOverFetch(size) - 1, size, 10, DIM)).toBe('quantized');
    // Past the int8 bound (2M images, a 15 % filter), the walk with the filter.
    expect(chooseFilteredRoute(QUANTIZED_MAX, 2_000_000, 10, DIM)).toBe('quantized');
    expect(chooseFilteredRoute(QUANTIZED_MAX + 1, 2_000_000, 10, DIM)).toBe('filter-walk');
  });

  it('walks the graph with the filter only past every bound, unless the filter is rarer than 1 %', () => {
    const size = 100_000_000;
    const candidates = QUANTIZED_MAX + 1_000; // 0.26 % of 100M: rare, scanned however many
    expect(chooseFilteredRoute(candidates, size, 10, DIM)).toBe('quantized');
    // 2 % of 100M: too many to scan, too few to over-fetch for.
    expect(chooseFilteredRoute(2_000_000, size, 10, DIM)).toBe('filter-walk');
  });

  it('after an over-fetch that found too few, scans a wide filter that fits a scan bound, else walks', () => {
    // A 20 % filter of 50k or 1M (over-fetched first) falls back to scanning its 10k vectors exactly, or its 200k
    // in int8; of 2M, to the walk.
    expect(chooseFilteredRoute(10_000, 50_000, 10, DIM)).toBe('exact');
    expect(fallbackRoute(10_000, 50_000, DIM)).toBe('exact');
    expect(chooseFilteredRoute(200_000, 1_000_000, 10, DIM)).toBe('over-fetch');
    expect(fallbackRoute(200_000, 1_000_000, DIM)).toBe('quantized');
    expect(fallbackRoute(400_000, 2_000_000, DIM)).toBe('filter-walk');
  });
});
