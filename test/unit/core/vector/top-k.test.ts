// exactTopK: the heap scan returns exactly what scoring every row and sorting returns, best first.
import { describe, expect, it } from 'vitest';
import { exactTopK } from '../../../../src-main/core/vector/top-k';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('exactTopK', () => {
  it('matches a full sort for many k, with ids that are not row numbers', () => {
    const dim = 24;
    const rows = 3000;
    const random = seeded(7);
    const matrix = Float32Array.from({ length: rows * dim }, random);
    const ids = Array.from({ length: rows }, (_, i) => 10_000 + 3 * i);
    for (const k of [1, 5, 10, 100]) {
      const query = Float32Array.from({ length: dim }, random);
      const all = ids
        .map((id, r) => {
          let s = 0;
          for (let d = 0; d < dim; d++) s += matrix[r * dim + d]! * query[d]!;
          return { imageId: id, score: s };
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
      const top = exactTopK(matrix, ids, dim, query, k);
      expect(top.map((n) => n.imageId)).toEqual(all.map((n) => n.imageId));
      expect(top[0]!.score).toBeCloseTo(all[0]!.score, 5);
    }
  });

  it('returns every row, sorted, when there are fewer than k', () => {
    const matrix = Float32Array.from([1, 0, 0, 1, 0.5, 0.5]);
    expect(exactTopK(matrix, [7, 8, 9], 2, Float32Array.from([1, 0]), 10).map((n) => n.imageId)).toEqual([7, 9, 8]);
    expect(exactTopK(new Float32Array(0), [], 2, Float32Array.from([1, 0]), 3)).toEqual([]);
  });
});
