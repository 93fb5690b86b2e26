// PackedVectors: the SIMD scan returns the neighbours a float64 JavaScript scan of the same vectors returns, for
// dimensions that do and do not fill the kernel's 16-float steps, from Float32Arrays and from unaligned BLOB bytes.
import { describe, expect, it } from 'vitest';
import { PackedVectors } from '../../../../src-main/core/vector/packed-vectors';
import { exactTopK } from '../../../../src-main/core/vector/top-k';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('PackedVectors', () => {
  it.each([1, 3, 16, 17, 40, 512])('finds what the JavaScript scan finds at %i dimensions', (dim) => {
    const rows = 700;
    const random = seeded(dim);
    const matrix = Float32Array.from({ length: rows * dim }, random);
    const ids = Float64Array.from({ length: rows }, (_, i) => 5_000 + 7 * i);
    const packed = new PackedVectors(dim, rows);
    for (let r = 0; r < rows; r++) packed.set(r, ids[r]!, matrix.subarray(r * dim, (r + 1) * dim));
    for (const k of [1, 10, 50]) {
      const query = Float32Array.from({ length: dim }, random);
      const expected = exactTopK(matrix, ids, dim, query, k);
      const got = packed.nearest(query, k);
      expect(got.map((n) => n.imageId)).toEqual(expected.map((n) => n.imageId));
      got.forEach((n, i) => expect(n.score).toBeCloseTo(expected[i]!.score, 4));
    }
  });

  it('reads stored BLOB bytes at any alignment, and returns every row when k exceeds them', () => {
    const dim = 5;
    const vectors = [Float32Array.from([1, 0, 0, 0, 0]), Float32Array.from([0, 1, 0, 0, 0]), Float32Array.from([0.6, 0.8, 0, 0, 0])];
    const packed = new PackedVectors(dim, vectors.length);
    vectors.forEach((v, r) => {
      // One byte of offset: a Buffer slice the way SQLite may hand one over, not 4-byte aligned.
      const unaligned = Buffer.alloc(v.byteLength + 1).subarray(1);
      unaligned.set(new Uint8Array(v.buffer));
      packed.set(r, 100 + r, unaligned);
    });
    const got = packed.nearest(Float32Array.from([0, 1, 0, 0, 0]), 10);
    expect(got.map((n) => n.imageId)).toEqual([101, 102, 100]);
    expect(got.map((n) => n.score)).toEqual([1, expect.closeTo(0.8, 6), 0]);
  });

  it('refuses vectors and queries of another dimension', () => {
    const packed = new PackedVectors(4, 2);
    expect(() => packed.set(0, 1, new Float32Array(3))).toThrow(/3 dimensions/);
    expect(() => packed.set(2, 1, new Float32Array(4))).toThrow(RangeError);
    expect(() => packed.nearest(new Float32Array(5), 1)).toThrow(/5 dimensions/);
  });
});
