// chooseFilteredRoute: small or rare candidate sets are scanned exactly, wide filters over-fetch on the graph, and
// only what neither covers walks the graph with the filter.
import { describe, expect, it } from 'vitest';
import { chooseFilteredRoute, EXACT_SCAN_MAX_BYTES, OVER_FETCH_MAX, overFetchSize } from '../../../../src-main/core/embed/search-route';

const DIM = 512;
/** The most 512-float vectors the exact route packs for a filter that is not rare. */
const EXACT_MAX = Math.floor(EXACT_SCAN_MAX_BYTES / (DIM * 4));

describe('chooseFilteredRoute', () => {
  it('scans exactly while the packed candidates fit the budget, whatever share of the index they are', () => {
    expect(chooseFilteredRoute(1, 100_000, 10, DIM)).toBe('exact');
    expect(chooseFilteredRoute(1_000, 100_000, 10, DIM)).toBe('exact');
    expect(chooseFilteredRoute(EXACT_MAX, 100_000, 10, DIM)).toBe('exact');
    // The whole of a small index: no graph walk beats reading every vector once.
    expect(chooseFilteredRoute(EXACT_MAX, EXACT_MAX, 10, DIM)).toBe('exact');
  });

  it('counts the budget in bytes: four times the floats fit four times fewer vectors', () => {
    expect(chooseFilteredRoute(EXACT_MAX, 100_000, 10, DIM * 4)).not.toBe('exact');
    expect(chooseFilteredRoute(Math.floor(EXACT_MAX / 4), 100_000, 10, DIM * 4)).toBe('exact');
  });

  it('scans exactly a filter too rare to over-fetch for, even past the budget', () => {
    expect(chooseFilteredRoute(EXACT_MAX * 4, 1_000_000_000, 10, DIM)).toBe('exact');
  });

  it('over-fetches on the graph for a wide filter, while the over-fetch fits within its ef', () => {
    const indexSize = 1_000_000;
    const candidates = 200_000; // 20 %: 10 / 0.2 x 2 = 100 neighbours
    expect(overFetchSize(candidates, indexSize, 10)).toBe(100);
    expect(chooseFilteredRoute(candidates, indexSize, 10, DIM)).toBe('over-fetch');
  });

  it('walks the graph with the filter only past both: too many to scan, too few for the over-fetch', () => {
    const indexSize = 1_000_000;
    // The narrowest share the over-fetch still covers, and just below it.
    const widest = Math.ceil((2 * 10 * indexSize) / OVER_FETCH_MAX);
    expect(chooseFilteredRoute(widest, indexSize, 10, DIM)).toBe('over-fetch');
    const narrower = widest - Math.ceil(indexSize / 1_000);
    expect(narrower).toBeGreaterThan(EXACT_MAX);
    expect(chooseFilteredRoute(narrower, indexSize, 10, DIM)).toBe('filter-walk');
  });
});
