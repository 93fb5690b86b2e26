// Multi-index hashing finds exactly the pairs brute force finds, at every threshold.
import { describe, expect, it } from 'vitest';
import { chunkRadii, MultiIndex } from '../../../../src-main/core/duplicates/multi-index';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import { nearCopyHashes as hashes } from '../../../fixtures/near-hashes';

describe('MultiIndex', () => {
  it('splits threshold + 1 over the four chunks (pigeonhole)', () => {
    for (const t of [0, 1, 2, 3, 4, 10, 32]) expect(chunkRadii(t).reduce((s, r) => s + r + 1, 0)).toBe(t + 1);
    expect(chunkRadii(10)).toEqual([2, 2, 2, 1]);
  });

  it.each([0, 3, 6, 10, 13])('selfJoin and query match brute force at threshold %i', (threshold) => {
    const n = 1500;
    const { hi, lo } = hashes(n, 7 + threshold);
    const index = new MultiIndex();
    for (let i = 0; i < n; i++) index.add(hi[i]!, lo[i]!, i);
    const expected = new Set<string>();
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) if (hamming64(hi[i]!, lo[i]!, hi[j]!, lo[j]!) <= threshold) expected.add(`${i}:${j}`);
    expect(expected.size).toBeGreaterThan(50);

    const joined = new Set<string>();
    index.selfJoin(threshold, (a, b, d) => {
      expect(d).toBe(hamming64(hi[a]!, lo[a]!, hi[b]!, lo[b]!));
      joined.add(`${index.owner(a)}:${index.owner(b)}`);
    });
    expect(joined).toEqual(expected);

    const queried = new Set<string>();
    for (let i = 0; i < n; i++)
      index.query(hi[i]!, lo[i]!, threshold, (key) => {
        const j = index.owner(key);
        if (j > i) queried.add(`${i}:${j}`);
      });
    expect(queried).toEqual(expected);
  });

  it('finds every key within the threshold while hashes are added between queries, across the re-sorts', () => {
    // Past 4,096 hashes the recent buckets are sorted into the packed arrays, then again 4,097 hashes later:
    // querying after adds checks keys on both sides of each re-sort, and the new key itself.
    const n = 9000;
    const threshold = 10;
    const { hi, lo } = hashes(n, 41);
    const index = new MultiIndex();
    let expectedPairs = 0;
    for (let i = 0; i < n; i++) {
      expect(index.add(hi[i]!, lo[i]!, i)).toBe(i);
      if (i % 7 !== 0 && i !== 4096 && i !== 8193) continue;
      const found = new Set<number>();
      index.query(hi[i]!, lo[i]!, threshold, (key, d) => {
        expect(d).toBe(hamming64(hi[i]!, lo[i]!, hi[key]!, lo[key]!));
        found.add(index.owner(key));
      });
      const expected = new Set<number>();
      for (let j = 0; j <= i; j++) if (hamming64(hi[i]!, lo[i]!, hi[j]!, lo[j]!) <= threshold) expected.add(j);
      expect(found).toEqual(expected);
      expectedPairs += expected.size - 1;
    }
    expect(expectedPairs).toBeGreaterThan(100);
  });
});
