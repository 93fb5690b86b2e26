// QuantizedVectors: the int8 scan plus the rescoring of the rows its error bounds keep returns exactly the top k of
// a float64 JavaScript scan of the same vectors, for dimensions that do and do not fill the kernel's 32-int8 steps
// (and past 516, where the query's integers are narrowed so that the kernel's int32 sums cannot overflow), and it
// asks for the float vectors of only a few rows.
import { describe, expect, it } from 'vitest';
import { QuantizedVectors } from '../../../../src-main/core/vector/quantized-vectors';
import { exactTopK } from '../../../../src-main/core/vector/top-k';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function fill(dim: number, rows: number, seed: number) {
  const random = seeded(seed);
  const matrix = Float32Array.from({ length: rows * dim }, random);
  const ids = Float64Array.from({ length: rows }, (_, i) => 5_000 + 7 * i);
  const quantized = new QuantizedVectors(dim, rows);
  for (let r = 0; r < rows; r++) quantized.set(r, ids[r]!, matrix.subarray(r * dim, (r + 1) * dim));
  const asked: number[][] = [];
  const exact = (wanted: number[]) => {
    asked.push(wanted);
    return new Map(wanted.map((id) => [id, matrix.subarray(((id - 5_000) / 7) * dim, ((id - 5_000) / 7 + 1) * dim)]));
  };
  return { random, matrix, ids, quantized, exact, asked };
}

describe('QuantizedVectors', () => {
  it.each([1, 3, 32, 33, 40, 512, 1024])('finds exactly what the JavaScript scan finds at %i dimensions', (dim) => {
    const rows = 700;
    const { random, matrix, ids, quantized, exact, asked } = fill(dim, rows, dim);
    for (const k of [1, 10, 50]) {
      const query = Float32Array.from({ length: dim }, random);
      const expected = exactTopK(matrix, ids, dim, query, k);
      const got = quantized.nearest(query, k, exact);
      expect(got.map((n) => n.imageId)).toEqual(expected.map((n) => n.imageId));
      got.forEach((n, i) => expect(n.score).toBeCloseTo(expected[i]!.score, 10));
    }
    // Only the rows whose bound reaches the top k were read again; with random data, far fewer than all.
    if (dim >= 32) for (const ids of asked) expect(ids.length).toBeLessThan(rows / 2);
  });

  it('keeps the rows whose int8 score ranks below the top k but whose exact score is in it', () => {
    // Winners (0.0270..: 3.43 int8 steps of 1/127 -> 3) score 0.0270.. exactly but 3/127 = 0.0236 in int8; decoys
    // (0.0119, 0.0119: 1.51 steps each -> 2 + 2) score 0.0238 exactly but 4/127 = 0.0315 in int8. Ranked by int8
    // score alone, the top 10 would be decoys; only the error bounds keep the winners for the rescoring.
    const dim = 8;
    const rows: Float32Array[] = [];
    for (let i = 0; i < 10; i++) rows.push(Float32Array.from([1, 0.027 + i * 1e-5, 0, 0, 0, 0, 0, 0]));
    for (let i = 0; i < 20; i++) rows.push(Float32Array.from([1, 0.0119, 0.0119, i * 1e-3, 0, 0, 0, 0]));
    const quantized = new QuantizedVectors(dim, rows.length);
    rows.forEach((v, r) => quantized.set(r, r + 1, v));
    const query = Float32Array.from([0, 1, 1, 0, 0, 0, 0, 0]);
    const got = quantized.nearest(query, 10, (wanted) => new Map(wanted.map((id) => [id, rows[id - 1]!])));
    expect(got.map((n) => n.imageId)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('reads stored BLOB bytes at any alignment, and returns every row when k exceeds them', () => {
    const dim = 5;
    const vectors = [Float32Array.from([1, 0, 0, 0, 0]), Float32Array.from([0, 1, 0, 0, 0]), Float32Array.from([0.6, 0.8, 0, 0, 0])];
    const quantized = new QuantizedVectors(dim, vectors.length);
    vectors.forEach((v, r) => {
      // One byte of offset: a Buffer slice the way SQLite may hand one over, not 4-byte aligned.
      const unaligned = Buffer.alloc(v.byteLength + 1).subarray(1);
      unaligned.set(new Uint8Array(v.buffer));
      quantized.set(r, 100 + r, unaligned);
    });
    const got = quantized.nearest(
      Float32Array.from([0, 1, 0, 0, 0]),
      10,
      (wanted) => new Map(wanted.map((id) => [id, vectors[id - 100]!])),
    );
    expect(got.map((n) => n.imageId)).toEqual([101, 102, 100]);
    expect(got.map((n) => n.score)).toEqual([1, expect.closeTo(0.8, 6), 0]);
  });

  it('refuses vectors and queries of another dimension, and a candidate without a stored vector', () => {
    const quantized = new QuantizedVectors(4, 2);
    expect(() => quantized.set(0, 1, new Float32Array(3))).toThrow(/3 dimensions/);
    expect(() => quantized.set(2, 1, new Float32Array(4))).toThrow(RangeError);
    expect(() => quantized.nearest(new Float32Array(5), 1, () => new Map())).toThrow(/5 dimensions/);
    quantized.set(0, 1, Float32Array.from([1, 0, 0, 0]));
    quantized.set(1, 2, Float32Array.from([0, 1, 0, 0]));
    expect(() => quantized.nearest(Float32Array.from([1, 0, 0, 0]), 1, () => new Map())).toThrow(/no stored vector for image 1/);
  });
});
