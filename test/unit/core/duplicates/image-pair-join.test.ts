// Joins reported per pair of images: every pair once, with its smallest distance, never an image with itself,
// the same on one thread and on worker threads, checked against brute force over hashes with owners.
import { describe, expect, it } from 'vitest';
import { MAX_OWNERS, type OwnedHashes } from '../../../../src-main/core/duplicates/image-pair-join';
import { JoinWorkers } from '../../../../src-main/core/duplicates/parallel-join';
import { hamming64 } from '../../../../src-main/core/duplicates/popcount';
import { nearCopyHashes } from '../../../fixtures/near-hashes';

/** Hashes owned by images of `perImage` hashes each (an image's hashes are near each other, as real ones are). */
function owned(n: number, perImage: number, seed: number, base?: OwnedHashes): OwnedHashes {
  const { hi, lo } = nearCopyHashes(n, seed, base);
  return { hi, lo, owner: Int32Array.from({ length: n }, (_, i) => Math.floor(i / perImage)) };
}

function bruteForce(left: OwnedHashes, right: OwnedHashes, t: number, unordered: boolean): Map<string, number> {
  const best = new Map<string, number>();
  for (let i = 0; i < left.hi.length; i++)
    for (let j = 0; j < right.hi.length; j++) {
      let p = left.owner[i]!;
      let q = right.owner[j]!;
      if (p === q) continue;
      const d = hamming64(left.hi[i]!, left.lo[i]!, right.hi[j]!, right.lo[j]!);
      if (d > t) continue;
      if (unordered && p > q) [p, q] = [q, p];
      const key = `${p}:${q}`;
      best.set(key, Math.min(d, best.get(key) ?? 64));
    }
  return best;
}

describe('joinImagePairs', () => {
  it('reports each pair of owners once with its smallest distance, never an owner with itself', async () => {
    const left = owned(2500, 8, 1);
    const right = owned(4000, 26, 2, left);
    for (const unordered of [false, true]) {
      const expected = bruteForce(left, right, 10, unordered);
      expect(expected.size).toBeGreaterThan(200);
      for (const workers of [new JoinWorkers(1), new JoinWorkers(2, 0)]) {
        const pairs = await workers.joinImagePairs(left, right, 10, unordered);
        await workers.close();
        const got = new Map<string, number>();
        for (let k = 0; k < pairs.left.length; k++) {
          const key = `${pairs.left[k]}:${pairs.right[k]}`;
          expect(got.has(key)).toBe(false);
          got.set(key, pairs.distance[k]!);
        }
        expect(got).toEqual(expected);
      }
    }
  });

  it('joins one set with itself', async () => {
    const set = owned(3000, 5, 3);
    const expected = bruteForce(set, set, 8, true);
    const workers = new JoinWorkers(2, 0);
    const pairs = await workers.joinImagePairs(set, null, 8, true);
    await workers.close();
    expect(pairs.left.length).toBe(expected.size);
    for (let k = 0; k < pairs.left.length; k++) expect(expected.get(`${pairs.left[k]}:${pairs.right[k]}`)).toBe(pairs.distance[k]);
  });

  it('refuses owners it cannot pack, naming the limit', async () => {
    const set = owned(10, 1, 4);
    set.owner[3] = MAX_OWNERS;
    await expect(new JoinWorkers(1).joinImagePairs(set, null, 10, true)).rejects.toThrow(/hash 3 belongs to image 8388608.*0\.\.8388607/);
  });
});
